package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr compare}: the paper's table 3 for any estimators on any data. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description =
                "Train several estimators over seeds and compare them: mean ± std of every metric in its named space, DeLong p-values against the best, and a report folder.")
final class CompareCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimators",
            paramLabel = "A,B,...",
            defaultValue = DemoCommand.PAPER_ESTIMATORS,
            description = "Estimators to compare (default: ${DEFAULT-VALUE}).")
    String estimators;

    @Option(names = "--train", paramLabel = "FILE", description = "Training data (Arrow IPC).")
    Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "Test data (Arrow IPC).")
    Path test;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            description = "A standard benchmark instead of --train/--test: coat.")
    String dataset;

    @Option(
            names = "--protocol",
            defaultValue = "mnar-train-mcar-test",
            description =
                    "Coat protocol: mnar-train-mcar-test or 5-5-90 (default: ${DEFAULT-VALUE}).")
    String protocol;

    @Option(
            names = "--threshold",
            defaultValue = "4",
            description =
                    "Coat: a rating >= threshold is a conversion (default: ${DEFAULT-VALUE}).")
    int threshold;

    @Option(
            names = "--coat",
            paramLabel = "DIR",
            description = "The Coat folder (default: data/coat of the project).")
    Path coat;

    @Option(
            names = "--work",
            defaultValue = ".cvr/data",
            paramLabel = "DIR",
            description = "Where converted data is written (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(
            names = "--seeds",
            defaultValue = "5",
            description = "Number of seeds (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "Report folder to write (atomically).")
    Path report;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "A setting for every estimator that declares it, or for the backend (repeatable).")
    List<String> set;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin BackendOptions backendOptions;

    @Override
    public Integer call() {
        CvrRuntime runtime = CvrRuntime.load();
        Map<String, String> backendSettings = new LinkedHashMap<>(backendOptions.settings());
        var arms = Comparisons.arms(runtime, Settings.list(estimators), set, backendSettings);
        var provenance = new LinkedHashMap<String, Object>();
        provenance.put("command", "cvr compare");
        try (Allocators memory = Allocators.create()) {
            Path trainFile = train;
            Path testFile = test;
            String title;
            if (dataset != null) {
                if (train != null || test != null) {
                    throw new ConfigException(
                            "Option --dataset replaces --train and --test; give one or the other");
                }
                if (!dataset.equalsIgnoreCase("coat")) {
                    throw new UnknownNameException("dataset", dataset, List.of("coat"));
                }
                ConvertCommand.checkThreshold(threshold);
                Path folder = work.resolve("coat-" + protocol + "-t" + threshold + "-s1");
                var converted =
                        ConvertCommand.convertCoat(
                                coat == null ? ConvertCommand.defaultCoat() : coat,
                                folder,
                                protocol,
                                threshold,
                                1,
                                memory);
                trainFile = converted.train();
                testFile = converted.test();
                title = "Coat, protocol " + protocol + ", conversion = rating >= " + threshold;
                provenance.put(
                        "protocol",
                        "Coat (Schnabel et al. 2016): exposures = all 290x300 user-item pairs; click = rated in the"
                                + " self-selected (MNAR) set; conversion = rating >= "
                                + threshold
                                + "; "
                                + (protocol.equals("5-5-90")
                                        ? "5% of the random set added to training, 5% validation (unused), 90% test"
                                        : "test = the whole missing-at-random set")
                                + ". The cvr-clicked AUC on the test set is the usual Coat AUC.");
                provenance.put(
                        "published",
                        "AUC on Coat's random test set: Multi-IPW 0.719, ESCM2 0.730 (arXiv 2210.11039; their protocol"
                                + " and threshold may differ from ours)");
            } else {
                if (train == null || test == null) {
                    throw new ConfigException(
                            "Options --train and --test are required (or --dataset coat)");
                }
                title = "Comparison on " + test.getFileName();
                SplitWarnings.between(train, test, spec.commandLine().getErr());
            }
            Comparisons.run(
                    runtime,
                    arms,
                    DataFiles.open(trainFile, memory),
                    DataFiles.open(testFile, memory),
                    Optional.empty(),
                    Comparisons.seeds(seeds),
                    backendSettings,
                    !backendOptions.quiet && !json,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr(),
                    report,
                    title,
                    provenance,
                    json,
                    ComparisonReport.ExtraPlots.NONE);
        }
        return 0;
    }
}
