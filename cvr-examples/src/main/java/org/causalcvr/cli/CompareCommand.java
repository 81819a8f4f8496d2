package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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

    @Option(
            names = "--train",
            required = true,
            paramLabel = "FILE",
            description = "Training data (Arrow IPC).")
    Path train;

    @Option(
            names = "--test",
            required = true,
            paramLabel = "FILE",
            description = "Test data (Arrow IPC).")
    Path test;

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
        try (Allocators memory = Allocators.create()) {
            var trainSource = DataFiles.open(train, memory);
            var testSource = DataFiles.open(test, memory);
            Comparisons.run(
                    runtime,
                    arms,
                    trainSource,
                    testSource,
                    Optional.empty(),
                    Comparisons.seeds(seeds),
                    backendSettings,
                    !backendOptions.quiet && !json,
                    spec.commandLine().getOut(),
                    spec.commandLine().getErr(),
                    report,
                    "Comparison on " + test.getFileName(),
                    Map.of("command", "cvr compare"),
                    json);
        }
        return 0;
    }
}
