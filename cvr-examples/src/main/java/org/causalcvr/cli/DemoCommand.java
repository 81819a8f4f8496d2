package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.synth.WorldConfig;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.config.SettingsFile;
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

    /**
     * Seeds below which the demo reminds the reader that its order is not a test: the paired test
     * over seeds needs about 10 to resolve gaps of half a point (the study's default).
     */
    static final int SEEDS_THAT_SETTLE_AN_ORDER = 10;

    /** Training exposures of the default demo. */
    static final long DEFAULT_ROWS = 600_000;

    /**
     * The settings of the default demo: each estimator's learning rate chosen on validation rows of
     * the default world (the file's note says how), which no other world or size has earned.
     */
    static final String DEMO_SETTINGS = "/tuned/demo.json";

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
            defaultValue = "" + DEFAULT_ROWS,
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

    @Option(
            names = "--settings",
            paramLabel = "FILE|none",
            description =
                    "A settings file (cvr tune writes one): each estimator's entry, under --set and"
                            + " explicit options; none: every estimator's own defaults (default:"
                            + " the built-in tuned/demo.json, each estimator's learning rate chosen"
                            + " on validation rows of the default world, when the world, its size,"
                            + " the backend and the network are the defaults; none otherwise).")
    String settings;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin BackendOptions backendOptions;

    /**
     * The demo's world with every option at its default (kept equal to the defaultValues above).
     */
    static WorldConfig defaultWorld() {
        return GenerateCommand.world("ali-ccp-like", 2020, 1.5, 0.05, 0.05);
    }

    /**
     * Whether the world, its size, the backend and the network are the defaults, the one setting
     * whose learning rates {@link #DEMO_SETTINGS} chose on validation (test rows and seeds do not
     * change what was chosen).
     */
    boolean isDefaultWorldAndNetwork() {
        WorldConfig asGiven = GenerateCommand.world(world, worldSeed, confounding, ctr, cvr);
        return asGiven.equals(defaultWorld())
                && rows == DEFAULT_ROWS
                && backendOptions.backend.equals(BackendOptions.DEFAULT_BACKEND)
                && (backendOptions.preset == null || backendOptions.preset.equals(DEMO_PRESET))
                && backendOptions.batchSize == null;
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
        var runtime = Cvr.runtime(spec);
        Optional<SettingsFile> file = Optional.empty();
        String fileName = "";
        if (settings != null && !Comparisons.declinesSettings(settings)) {
            file = Comparisons.settingsFile(settings);
            fileName = settings;
        } else if (settings == null && isDefaultWorldAndNetwork()) {
            file = Optional.of(CompareCommand.builtInSettings(DEMO_SETTINGS));
            fileName = "built-in " + DEMO_SETTINGS.substring(1);
        }
        var comparison =
                Comparisons.withEstimators(
                                Comparisons.base(
                                        runtime,
                                        backendOptions,
                                        backendSettings,
                                        set,
                                        Comparisons.seeds(seeds),
                                        progress,
                                        err),
                                runtime,
                                backendOptions.backend,
                                names,
                                file,
                                fileName,
                                Comparisons.explicitKeys(backendOptions, set))
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
                                        rows + testRows));
        comparison = Comparisons.withSettingsProvenance(comparison, file, fileName);
        comparison = comparison.validate();
        Comparisons.requireReportFolder(report);
        if (!json) {
            err.printf(
                    Locale.ROOT,
                    "Demo: %s world (seed %d, confounding %.2f, CTR %.1f%%, CVR %.1f%%), %,d train and %,d test exposures,"
                            + " %d estimators x %d seeds, preset %s, settings %s%n",
                    world,
                    worldSeed,
                    confounding,
                    100 * ctr,
                    100 * cvr,
                    rows,
                    testRows,
                    names.size(),
                    seeds,
                    comparison.resolvedBackendSettings().get("preset"),
                    file.isPresent() ? fileName : "each estimator's defaults");
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
        if (!json && seeds < SEEDS_THAT_SETTLE_AN_ORDER) {
            // A few seeds can order two close estimators the opposite way from twenty (it happened
            // in the default world: README, "What ./cvr demo prints"): say so where the table is
            // read.
            var out = spec.commandLine().getOut();
            out.printf(
                    Locale.ROOT,
                    "%nWith %d seed(s) this table ranks the estimators; it does not settle the order of"
                            + " those within a few standard errors of each other. For a test over seeds,"
                            + " run more (--seeds 10 or more) or cvr study.%n",
                    seeds);
            out.flush();
        }
        return 0;
    }
}
