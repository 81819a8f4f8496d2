package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.metrics.SeedSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr sweep}: one estimator over values of one setting (the paper's figure 6). */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description =
                "Train one estimator for each value of one setting (e.g. ipw-bound-pct or undersample-rate) and plot every metric against it, as the paper's figure 6.")
final class SweepCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimator",
            required = true,
            paramLabel = "NAME",
            description = "The estimator.")
    String estimator;

    @Option(
            names = "--param",
            required = true,
            paramLabel = "KEY=V1,V2,...",
            description = "The setting and its values.")
    String param;

    @Option(
            names = "--train",
            paramLabel = "FILE",
            description = "Training data (default: the demo's world).")
    Path train;

    @Option(
            names = "--test",
            paramLabel = "FILE",
            description = "Test data (default: the demo's world).")
    Path test;

    @Option(
            names = "--rows",
            defaultValue = "400000",
            description = "Training rows of the default world (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--test-rows",
            defaultValue = "200000",
            description = "Test rows of the default world (default: ${DEFAULT-VALUE}).")
    long testRows;

    @Option(
            names = "--work",
            defaultValue = ".cvr/data",
            paramLabel = "DIR",
            description = "Where generated data is cached.")
    Path work;

    @Option(
            names = "--seeds",
            defaultValue = "3",
            description = "Seeds per value (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "Report folder (default: sweep-<estimator>-<key>).")
    Path report;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Other settings (repeatable).")
    List<String> set;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin BackendOptions backendOptions;

    @Override
    public Integer call() {
        int eq = param.indexOf('=');
        if (eq <= 0 || eq == param.length() - 1) {
            throw new ConfigException(
                    "Option --param '" + param + "' is not of the form key=v1,v2,...");
        }
        String key = param.substring(0, eq).trim();
        List<String> values = Settings.list(param.substring(eq + 1));
        CvrRuntime runtime = CvrRuntime.load();
        EstimatorFactory factory = runtime.estimator(estimator);
        if (factory.configSchema().key(key).isEmpty()) {
            // Resolving a map with only this key yields the standard unknown-key message.
            factory.configSchema().resolve(Map.of(key, values.get(0)));
        }
        Map<String, String> backendSettings = new LinkedHashMap<>(backendOptions.settings());
        var base = Comparisons.arms(runtime, List.of(estimator), set, backendSettings).get(0);
        var arms = new ArrayList<Experiment.Arm>();
        for (String v : values) {
            var settings = new LinkedHashMap<>(base.settings());
            settings.put(key, v);
            factory.create(settings); // validate every value before training
            arms.add(new Experiment.Arm(key + "=" + v, estimator, settings));
        }
        if ((train == null) != (test == null)) {
            throw new ConfigException("Options --train and --test go together");
        }
        Path folder = report != null ? report : Path.of("sweep-" + estimator + "-" + key);
        boolean progress = !backendOptions.quiet && !json;
        try (Allocators memory = Allocators.create()) {
            Path trainFile = train;
            Path testFile = test;
            if (train == null) {
                var config = DemoCommand.defaultWorld();
                var files = Worlds.trainTest(config, rows, testRows, work, memory, progress);
                trainFile = files.train();
                testFile = files.test();
            }
            Comparisons.run(
                    runtime,
                    arms,
                    DataFiles.open(trainFile, memory),
                    DataFiles.open(testFile, memory),
                    Optional.empty(),
                    Comparisons.seeds(seeds),
                    backendSettings,
                    progress,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr(),
                    folder,
                    "Sweep of " + estimator + " over " + key,
                    Map.of("command", "cvr sweep --estimator " + estimator + " --param " + param),
                    json,
                    (report, staging) -> List.of(plot(report, staging, key, values)));
        }
        return 0;
    }

    /** Draws sweep.png (each AUC column against the swept values); returns its file name. */
    private String plot(ComparisonReport result, Path folder, String key, List<String> values) {
        double[] x = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            try {
                x[i] = Double.parseDouble(values.get(i));
            } catch (NumberFormatException e) {
                x[i] = i;
            }
        }
        var lines = new ArrayList<Plots.Line>();
        for (ComparisonReport.Column c : ComparisonReport.COLUMNS) {
            if (!c.metric().equals("auc")) {
                continue;
            }
            double[] y = new double[values.size()];
            boolean any = false;
            for (int i = 0; i < y.length; i++) {
                List<Double> v = result.values(key + "=" + values.get(i), c);
                SeedSummary s =
                        SeedSummary.of(v.stream().mapToDouble(Double::doubleValue).toArray());
                y[i] = s.mean();
                any |= !v.isEmpty();
            }
            if (any) {
                lines.add(new Plots.Line(c.header(), x, y));
            }
        }
        Plots.lines(
                folder.resolve("sweep.png"),
                String.format(Locale.ROOT, "%s: AUC against %s (mean over seeds)", estimator, key),
                key,
                "AUC",
                lines,
                false,
                true);
        return "sweep.png";
    }
}
