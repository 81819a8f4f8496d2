package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.report.ComparisonReport;
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
            description = "The Coat folder (default: data/coat of the installation).")
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
        var comparison =
                Comparisons.base(
                                Cvr.runtime(spec),
                                backendOptions,
                                backendOptions.settings(),
                                set,
                                seeds,
                                !backendOptions.quiet && !json,
                                spec.commandLine().getErr())
                        .estimators(Settings.list(estimators))
                        .provenance("command", "cvr compare")
                        .validate();
        Comparisons.requireReportFolder(report);
        try (Allocators memory = Allocators.create()) {
            if (dataset != null) {
                if (train != null || test != null) {
                    throw new ConfigException(
                            "Option --dataset replaces --train and --test; give one or the other");
                }
                if (!dataset.equalsIgnoreCase("coat")) {
                    throw new UnknownNameException("dataset", dataset, List.of("coat"));
                }
                var coatData = CoatBenchmark.prepare(coat, work, protocol, threshold, memory);
                for (var line : coatData.provenance().entrySet()) {
                    comparison = comparison.provenance(line.getKey(), line.getValue());
                }
                comparison =
                        comparison
                                .title(coatData.title())
                                .train(DataFiles.open(coatData.train(), memory))
                                .test(DataFiles.open(coatData.test(), memory));
            } else {
                if (train == null || test == null) {
                    throw new ConfigException(
                            "Options --train and --test are required (or --dataset coat)");
                }
                SplitWarnings.between(train, test, spec.commandLine().getErr());
                comparison =
                        comparison
                                .title("Comparison on " + test.getFileName())
                                .train(DataFiles.open(train, memory))
                                .test(DataFiles.open(test, memory));
            }
            Comparisons.run(
                    comparison,
                    report,
                    json,
                    spec.commandLine().getOut(),
                    ComparisonReport.ExtraPlots.NONE);
        }
        return 0;
    }
}
