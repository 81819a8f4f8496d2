package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.sweep.Sweep;
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

    @Option(
            names = "--settings",
            paramLabel = "FILE|none",
            description =
                    "A settings file (cvr tune writes one): the estimator's entry, under --set and"
                            + " explicit options; none: the estimator's own defaults.")
    String settings;

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
        CvrRuntime runtime = Cvr.runtime(spec);
        Sweep sweep = Sweep.of(runtime, estimator, key, Settings.list(param.substring(eq + 1)));
        boolean progress = !backendOptions.quiet && !json;
        var file = Comparisons.settingsFile(settings);
        Settings defaults =
                file.isPresent()
                        ? file.get()
                                .route(
                                        estimator,
                                        runtime.estimator(estimator).configSchema(),
                                        runtime.backend(backendOptions.backend).configSchema(),
                                        Comparisons.explicitKeys(backendOptions, set),
                                        settings)
                        : new Settings(Map.of(), Map.of());
        var comparison =
                sweep.addTo(
                                Comparisons.base(
                                        runtime,
                                        backendOptions,
                                        backendOptions.settings(),
                                        set,
                                        Comparisons.seeds(seeds),
                                        progress,
                                        spec.commandLine().getErr()),
                                defaults)
                        .title("Sweep of " + estimator + " over " + key)
                        .provenance(
                                "command",
                                "cvr sweep --estimator " + estimator + " --param " + param)
                        .validate();
        if ((train == null) != (test == null)) {
            throw new ConfigException("Options --train and --test go together");
        }
        Path folder = report != null ? report : Path.of("sweep-" + estimator + "-" + key);
        Comparisons.requireReportFolder(folder);
        try (Allocators memory = Allocators.create()) {
            if (train == null) {
                var files =
                        Worlds.trainTest(
                                DemoCommand.defaultWorld(), rows, testRows, work, memory, progress);
                comparison = comparison.train(files.train(memory)).test(files.test(memory));
            } else {
                comparison =
                        comparison
                                .train(DataFiles.open(train, memory))
                                .test(DataFiles.open(test, memory));
            }
            Comparisons.run(comparison, folder, json, spec.commandLine().getOut(), sweep.plot());
        }
        return 0;
    }
}
