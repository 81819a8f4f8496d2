package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.synth.WorldConfig;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.report.ComparisonReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cvr demo}: the paper's comparison on a default synthetic world, end to end: generate an
 * ali-ccp-like world with known truth, train the paper's estimators over seeds, print table 3 and
 * write a report folder.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the paper's comparison on a default ali-ccp-like synthetic world (a few minutes on 2 cores; network esmm-official unless --preset is given) and write a report folder.")
final class DemoCommand implements Callable<Integer> {
    static final String PAPER_ESTIMATORS = "base,oversampling,esmm,naive-ipw,multi-ipw,multi-dr";

    /** The network of the demo unless --preset says otherwise: ESMM's official 200-80 towers. */
    static final String DEMO_PRESET = "esmm-official";

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimators",
            paramLabel = "A,B,...",
            defaultValue = PAPER_ESTIMATORS,
            description = "Estimators to compare (default: ${DEFAULT-VALUE}).")
    String estimators;

    @Option(
            names = "--world",
            defaultValue = "ali-ccp-like",
            description = "Synthetic world preset (default: ${DEFAULT-VALUE}).")
    String world;

    @Option(
            names = "--rows",
            defaultValue = "600000",
            description = "Training exposures (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--test-rows",
            defaultValue = "200000",
            description = "Test exposures (default: ${DEFAULT-VALUE}).")
    long testRows;

    @Option(
            names = "--confounding",
            defaultValue = "1.5",
            description = "Confounding strength γ of the world (default: ${DEFAULT-VALUE}).")
    double confounding;

    @Option(
            names = "--ctr",
            defaultValue = "0.05",
            description = "Mean CTR of the world (default: ${DEFAULT-VALUE}).")
    double ctr;

    @Option(
            names = "--cvr",
            defaultValue = "0.05",
            description =
                    "Mean post-click CVR of the world (default: ${DEFAULT-VALUE}; Ali-CCP's 0.54%% leaves too few conversions for a few-minute run).")
    double cvr;

    @Option(
            names = "--world-seed",
            defaultValue = "2020",
            description = "Seed of the world (default: ${DEFAULT-VALUE}).")
    long worldSeed;

    @Option(
            names = "--seeds",
            defaultValue = "3",
            description = "Training seeds per estimator (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--report",
            defaultValue = "demo-report",
            paramLabel = "DIR",
            description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(
            names = "--work",
            defaultValue = ".cvr/data",
            paramLabel = "DIR",
            description = "Where generated data is cached (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "A setting for every estimator that declares it, or for the backend (repeatable).")
    List<String> set;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin BackendOptions backendOptions;

    /**
     * The demo's world with every option at its default (kept equal to the defaultValues above).
     */
    static WorldConfig defaultWorld() {
        return GenerateCommand.world("ali-ccp-like", 2020, 1.5, 0.05, 0.05);
    }

    @Override
    public Integer call() {
        Map<String, String> backendSettings = new LinkedHashMap<>(backendOptions.settings());
        if (backendOptions.preset == null) {
            // The paper's 512-256-128-32 towers would not fit the demo's few minutes on 2 cores.
            backendSettings.put("preset", DEMO_PRESET);
        }
        var err = spec.commandLine().getErr();
        boolean progress = !backendOptions.quiet && !json;
        List<String> names = Settings.list(estimators);
        WorldConfig config = GenerateCommand.world(world, worldSeed, confounding, ctr, cvr);
        var comparison =
                Comparisons.base(
                                Cvr.runtime(spec),
                                backendOptions,
                                backendSettings,
                                set,
                                Comparisons.seeds(seeds),
                                progress,
                                err)
                        .estimators(names)
                        .title(
                                "causal-cvr demo: the paper's comparison on a synthetic "
                                        + world
                                        + " world")
                        .provenance("command", "cvr demo")
                        .provenance(
                                "world",
                                String.format(
                                        Locale.ROOT,
                                        "%s, seed %d, confounding %.2f, CTR %.4f, CVR %.4f, confounder visibility %.2f, popularity skew %.2f; train rows [0, %d), test rows [%d, %d)",
                                        world,
                                        worldSeed,
                                        confounding,
                                        ctr,
                                        cvr,
                                        config.confounderVisibility(),
                                        config.popularitySkew(),
                                        rows,
                                        rows,
                                        rows + testRows))
                        .validate();
        Comparisons.requireReportFolder(report);
        if (!json) {
            err.printf(
                    Locale.ROOT,
                    "Demo: %s world (seed %d, confounding %.2f, CTR %.1f%%, CVR %.1f%%), %,d train and %,d test exposures,"
                            + " %d estimators x %d seeds, preset %s%n",
                    world,
                    worldSeed,
                    confounding,
                    100 * ctr,
                    100 * cvr,
                    rows,
                    testRows,
                    names.size(),
                    seeds,
                    comparison.resolvedBackendSettings().get("preset"));
            err.flush();
        }
        try (Allocators memory = Allocators.create()) {
            var files = Worlds.trainTest(config, rows, testRows, work, memory, progress);
            Comparisons.run(
                    comparison.train(files.train(memory)).test(files.test(memory)),
                    report,
                    json,
                    spec.commandLine().getOut(),
                    ComparisonReport.ExtraPlots.NONE);
        }
        return 0;
    }
}
