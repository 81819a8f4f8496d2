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
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.synth.FieldKind;
import org.causalcvr.data.arrow.synth.FieldSpec;
import org.causalcvr.data.arrow.synth.OracleCvr;
import org.causalcvr.data.arrow.synth.WorldConfig;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.config.SettingsFile;
import org.causalcvr.experiments.study.OracleScores;
import org.causalcvr.experiments.study.Study;
import org.causalcvr.experiments.study.StudyReport;
import org.causalcvr.experiments.study.StudyWorld;
import org.causalcvr.metrics.SpaceValidationScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cvr study}: where each estimator wins. The same comparison in worlds of one preset whose
 * confounder the features carry to a growing share (0 = all hidden, 1 = all seen), each judged
 * against its true CVR: AUC, bias of the mean, DeLong against reference estimators, and the AUC by
 * popularity bucket of users and items.
 */
@Command(
        name = "study",
        mixinStandardHelpOptions = true,
        description =
                "Run the same comparison in synthetic worlds from all-hidden to all-seen confounding"
                        + " (--visibilities) and report, per world and estimator, the exposure-space"
                        + " CVR AUC against the true CVR, the bias of the mean pCVR, DeLong's test"
                        + " against reference estimators and the AUC by user and item popularity bucket.")
final class StudyCommand implements Callable<Integer> {
    static final String ESTIMATORS = "base,esmm,multi-ipw,multi-dr,dr-v2";

    /** The study's network unless --preset says otherwise. */
    static final String STUDY_PRESET = "small";

    /** The most epochs a run trains when it stops early on validation, unless --epochs says. */
    static final int STUDY_MAX_EPOCHS = 8;

    /**
     * Epochs without a better validation score before a run stops, unless --set patience says: 1,
     * since most of the study's runs peak within 1-2 epochs (docs/study/NOTES.md) and each further
     * epoch costs as much as the last.
     */
    static final int STUDY_PATIENCE = 1;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimators",
            paramLabel = "A,B,...",
            defaultValue = ESTIMATORS,
            description = "Estimators to compare (default: ${DEFAULT-VALUE}).")
    String estimators;

    @Option(
            names = "--against",
            paramLabel = "A,B,...",
            defaultValue = "base,esmm",
            description =
                    "Estimators every other is tested against with DeLong's test, seed by seed"
                            + " (default: ${DEFAULT-VALUE}).")
    String against;

    @Option(
            names = "--world",
            defaultValue = "small",
            description =
                    "Synthetic world preset (default: ${DEFAULT-VALUE}: 1,000 users and 500 items,"
                            + " so every id is seen in training; see the README for ali-ccp-like).")
    String world;

    @Option(
            names = "--visibilities",
            paramLabel = "V,V,...",
            defaultValue = "0,0.5,1",
            description = "Confounder visibilities, one world each (default: ${DEFAULT-VALUE}).")
    String visibilities;

    @Option(
            names = "--popularity-skew",
            defaultValue = "1.0",
            description =
                    "Popularity skew κ of every world: rarely shown users and items are rarely"
                            + " clicked (default: ${DEFAULT-VALUE}).")
    double popularitySkew;

    @Option(
            names = "--rows",
            defaultValue = "200000",
            description = "Training exposures per world (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--test-rows",
            defaultValue = "400000",
            description =
                    "Test exposures per world (default: ${DEFAULT-VALUE}: DeLong's test of one pair"
                            + " of models draws conversions on unclicked rows, and at 100,000 rows"
                            + " its noise hides gaps of half a point).")
    long testRows;

    @Option(
            names = "--valid-rows",
            defaultValue = "50000",
            description =
                    "Validation exposures per world, drawn after the test rows (a disjoint sample of"
                            + " the same world): early stopping and --choose read them, never the"
                            + " test rows (default: ${DEFAULT-VALUE}).")
    long validRows;

    @Option(
            names = "--early-stopping",
            paramLabel = "SPACE[:METRIC]|none",
            defaultValue = "cvr-exposure-true:auc",
            description =
                    "The validation score each run stops early by, keeping its best epoch (up to"
                            + " --epochs, default "
                            + STUDY_MAX_EPOCHS
                            + "; stopping after "
                            + STUDY_PATIENCE
                            + " epoch without a better score unless --set patience=N), or none:"
                            + " every run trains --epochs"
                            + " (default 1) (default: ${DEFAULT-VALUE}).")
    String earlyStopping;

    /** The settings --choose tries unless told otherwise. */
    static final List<String> DEFAULT_CHOICES =
            List.of(
                    "learning-rate=0.001,0.003,0.01",
                    "learning-rate-decay=1,0.3",
                    "undersample-rate=1.5,Infinity");

    @Option(
            names = "--choose",
            paramLabel = "KEY=V,V,...|none",
            description =
                    "A setting chosen per world and estimator on the validation rows (repeatable):"
                            + " each combination of the values trains on --choose-seeds seeds"
                            + " from --choose-seed, stopped early, and the best mean early-stopping"
                            + " score is the one the study's runs use; a backend setting is tried"
                            + " for every estimator, an estimator setting for those that declare"
                            + " it; none"
                            + " chooses nothing (default: learning-rate=0.001,0.003,0.01,"
                            + " learning-rate-decay=1,0.3 and undersample-rate=1.5,Infinity).")
    List<String> choose;

    @Option(
            names = "--choose-seed",
            defaultValue = "1",
            description =
                    "The backend seed of the --choose runs, the first of them with --choose-seeds"
                            + " (default: ${DEFAULT-VALUE}).")
    long chooseSeed;

    @Option(
            names = "--choose-seeds",
            defaultValue = "3",
            paramLabel = "N",
            description =
                    "Seeds each --choose combination trains with (--choose-seed and the N - 1"
                            + " after it): the best mean validation score wins, and a combination"
                            + " whose run fails on any seed loses. One seed cannot see a setting"
                            + " that diverges on other seeds, and ranks close settings by its own"
                            + " noise (default: ${DEFAULT-VALUE}).")
    int chooseSeeds;

    @Option(
            names = "--confounding",
            defaultValue = "1.5",
            description = "Confounding strength γ (default: ${DEFAULT-VALUE}).")
    double confounding;

    @Option(
            names = "--ctr",
            defaultValue = "0.05",
            description = "Mean CTR (default: ${DEFAULT-VALUE}).")
    double ctr;

    @Option(
            names = "--cvr",
            defaultValue = "0.1",
            description = "Mean post-click CVR (default: ${DEFAULT-VALUE}).")
    double cvr;

    @Option(
            names = "--world-seed",
            defaultValue = "2020",
            description = "Seed of the worlds (default: ${DEFAULT-VALUE}).")
    long worldSeed;

    @Option(
            names = "--seeds",
            defaultValue = "10",
            description =
                    "Training seeds per estimator and world (default: ${DEFAULT-VALUE}: the paired"
                            + " test over seeds needs about 10 to resolve gaps of half a point"
                            + " against a seed spread of the same size).")
    int seeds;

    @Option(
            names = "--first-seed",
            defaultValue = "1",
            description =
                    "The first training seed of the study's runs; they use --seeds seeds from it"
                            + " (default: ${DEFAULT-VALUE}). The --choose runs keep --choose-seed,"
                            + " so a study from a later first seed makes the same choices and"
                            + " replicates an earlier one with runs it did not use.")
    long firstSeed;

    @Option(
            names = "--buckets",
            defaultValue = "3",
            description =
                    "Popularity buckets of users and items, by their training clicks (default:"
                            + " ${DEFAULT-VALUE}).")
    int buckets;

    @Option(
            names = "--report",
            defaultValue = "study-report",
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
                            + " explicit options, in every world; --choose still chooses the keys"
                            + " it names; none (the default): every estimator's own defaults.")
    String settings;

    @Mixin WorldIdOptions ids;

    @Mixin BackendOptions backendOptions;

    @Override
    public Integer call() {
        List<Double> levels = visibilityLevels(visibilities);
        Map<String, String> backendSettings = new LinkedHashMap<>(backendOptions.settings());
        if (backendOptions.preset == null) {
            backendSettings.put("preset", STUDY_PRESET);
        }
        Optional<SpaceValidationScore> stopping =
                earlyStopping.equalsIgnoreCase("none")
                        ? Optional.empty()
                        : Optional.of(SpaceValidationScore.parse(earlyStopping));
        if (stopping.isPresent() && backendOptions.epochs == null) {
            backendSettings.put("epochs", Integer.toString(STUDY_MAX_EPOCHS));
        }
        var err = spec.commandLine().getErr();
        boolean progress = !backendOptions.quiet;
        var runtime = Cvr.runtime(spec);
        if (stopping.isPresent()
                && runtime.backend(backendOptions.backend)
                        .configSchema()
                        .key("patience")
                        .isPresent()) {
            // --set patience=N, routed to the backend after these settings, wins over this.
            backendSettings.put("patience", Integer.toString(STUDY_PATIENCE));
        }
        List<Map.Entry<String, List<String>>> candidates =
                candidates(choose == null ? DEFAULT_CHOICES : choose);
        if (!candidates.isEmpty() && stopping.isEmpty()) {
            throw new ConfigException(
                    "Option --choose needs --early-stopping: its score ranks the values");
        }
        if (stopping.isPresent() && validRows < 1) {
            throw new ConfigException(
                    "Option --valid-rows = "
                            + validRows
                            + " is out of range: early stopping needs at least 1 row");
        }
        var comparison =
                Comparisons.base(
                        runtime,
                        backendOptions,
                        backendSettings,
                        set,
                        Comparisons.seeds(firstSeed, seeds),
                        progress,
                        err);
        // Read before any world is generated, so a bad file fails at once with its one line.
        Optional<SettingsFile> file = Comparisons.settingsFile(settings);
        String fileName = file.isEmpty() ? "" : settings;
        comparison =
                Comparisons.withEstimators(
                                comparison,
                                runtime,
                                comparison.backendName(),
                                Settings.list(estimators),
                                file,
                                fileName,
                                Comparisons.explicitKeys(backendOptions, set))
                        .provenance("command", "cvr study");
        comparison = Comparisons.withSettingsProvenance(comparison, file, fileName);
        List<WorldConfig> configs = new ArrayList<>();
        for (double v : levels) {
            configs.add(
                    ids.apply(
                            GenerateCommand.world(
                                    world, worldSeed, confounding, ctr, cvr, v, popularitySkew)));
        }
        List<String> fields = bucketFields(configs.get(0));
        Study study =
                Study.of(comparison)
                        .against(Settings.list(against))
                        .buckets(fields, buckets)
                        .title(
                                String.format(
                                        Locale.ROOT,
                                        "causal-cvr study: %s worlds (%,d users, %,d items, γ"
                                                + " %.2f, κ %.2f, CTR %.3f, CVR %.3f, %,d train /"
                                                + " %,d test rows)",
                                        world,
                                        configs.get(0).users(),
                                        configs.get(0).items(),
                                        confounding,
                                        popularitySkew,
                                        ctr,
                                        cvr,
                                        rows,
                                        testRows))
                        .log(
                                line -> {
                                    err.println(line);
                                    err.flush();
                                })
                        .listener(new ConsoleRunListener(progress, err));
        if (stopping.isPresent()) {
            study = study.earlyStopping(stopping.get());
        }
        for (var c : candidates) {
            // A default choice that none of these estimators declares (undersample-rate in a study
            // of base and esmm) is left out; one the user named fails with a clear line.
            boolean declared =
                    runtime.backend(comparison.backendName())
                                    .configSchema()
                                    .key(c.getKey())
                                    .isPresent()
                            || Settings.list(estimators).stream()
                                    .anyMatch(
                                            e ->
                                                    runtime.estimator(e)
                                                            .configSchema()
                                                            .key(c.getKey())
                                                            .isPresent());
            if (choose != null || declared) {
                study = study.choose(c.getKey(), c.getValue(), chooseSeed, runtime);
            }
        }
        if (chooseSeeds < 1) {
            throw new ConfigException(
                    "Option --choose-seeds = " + chooseSeeds + " is out of range: at least 1");
        }
        study = study.chooseSeeds(chooseSeeds);
        if (report != null) {
            AtomicFolders.requireReplaceable(report, StudyReport.FOLDER);
        }
        try (Allocators memory = Allocators.create()) {
            for (int i = 0; i < levels.size(); i++) {
                var files =
                        Worlds.trainTest(configs.get(i), rows, testRows, work, memory, progress);
                Optional<ExposureSource> validation =
                        stopping.isPresent()
                                ? Optional.of(
                                        files.heldOut(
                                                rows + testRows, validRows, work, memory, progress))
                                : Optional.empty();
                study =
                        study.world(
                                new StudyWorld(
                                        String.format(
                                                Locale.ROOT, "visibility %s", plain(levels.get(i))),
                                        files.train(memory),
                                        validation,
                                        files.test(memory),
                                        expectation(levels.get(i)),
                                        oracles(files)));
            }
            study.validate();
            StudyReport result = study.run();
            spec.commandLine().getOut().print(result.text());
            result.writeReport(report);
            spec.commandLine().getOut().println("Report written to " + report);
        }
        return 0;
    }

    /**
     * The world's two oracle CVRs of the test file's rows: the ceiling of a model on the features,
     * and the limit every estimator here tends to. None for more test rows than an array holds.
     */
    static List<OracleScores> oracles(Worlds.TrainTest files) {
        if (files.testRows() > Integer.MAX_VALUE) {
            return List.of();
        }
        OracleCvr o = files.world().oracleCvr(files.trainRows(), (int) files.testRows());
        return List.of(
                new OracleScores(
                        "oracle E[q | x]",
                        "the true CVR averaged over the hidden confounder given the features, the"
                                + " best any model on the features can rank (its ceiling).",
                        o.givenFeatures()),
                new OracleScores(
                        "oracle E[q | x, o=1]",
                        "the same among clicks (weighted by the true click propensity), the"
                                + " function every estimator here tends to with enough data and a"
                                + " model that fits it (their common limit).",
                        o.givenFeaturesAndClick()));
    }

    /** The keys and values of the --choose options ({@code key=v1,v2,...}); none for none. */
    static List<Map.Entry<String, List<String>>> candidates(List<String> options) {
        var out = new ArrayList<Map.Entry<String, List<String>>>();
        for (String text : options) {
            if (text.trim().equalsIgnoreCase("none")) {
                if (options.size() > 1) {
                    throw new ConfigException("Option --choose: none cannot go with other values");
                }
                return List.of();
            }
            out.add(candidate(text));
        }
        return out;
    }

    private static Map.Entry<String, List<String>> candidate(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new ConfigException(
                    "Option --choose: '" + text + "' is not KEY=VALUE,VALUE,... or none");
        }
        var values = new ArrayList<String>();
        for (String v : text.substring(eq + 1).split(",")) {
            if (v.isBlank()) {
                throw new ConfigException("Option --choose: '" + text + "' has an empty value");
            }
            values.add(v.trim());
        }
        return Map.entry(text.substring(0, eq).trim(), List.copyOf(values));
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The visibilities of --visibilities, each in [0, 1]. */
    static List<Double> visibilityLevels(String text) {
        var out = new ArrayList<Double>();
        for (String part : text.split(",")) {
            double v;
            try {
                v = Double.parseDouble(part.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        "Option --visibilities: '" + part.trim() + "' is not a number");
            }
            if (!(v >= 0 && v <= 1)) {
                throw new ConfigException(
                        "Option --visibilities: " + v + " is out of range: allowed [0, 1]");
            }
            out.add(v);
        }
        return out;
    }

    /** The world's user and item id fields: the study buckets rows by their training clicks. */
    static List<String> bucketFields(WorldConfig config) {
        var out = new ArrayList<String>();
        for (FieldSpec f : config.fields()) {
            if (f.kind() == FieldKind.USER_ID || f.kind() == FieldKind.ITEM_ID) {
                out.add(f.name());
            }
        }
        return out;
    }

    /** What the theory expects in a world whose features carry the share {@code v} of z. */
    static String expectation(double v) {
        String common =
                " In the limit of data every estimator here, its propensity learnt from the"
                        + " features, fits the same function E[q | x, o=1] (Base directly, ESMM as"
                        + " pCTCVR/pCTR, IPW and DR by weights that are constant given x), so their"
                        + " differences are finite-sample ones: how well ids with few clicks are"
                        + " fitted. Estimators whose embeddings are shared with a CTR tower trained"
                        + " on every exposure (ESMM, Multi-IPW, Multi-DR, DR-V2; not Base) learn from"
                        + " the unclicked rows what the click logit says about each id, which helps"
                        + " the CVR where the click logit carries the seen confounder (v > 0), most"
                        + " in the tail buckets.";
        if (v == 0) {
            return "All of the confounder is hidden: the true propensity is not a function of the"
                    + " features and the common limit E[q | x, o=1] is not the true CVR, so no"
                    + " estimator on features removes the bias the hidden part causes (every mean"
                    + " stays biased), and the click logit's features relate to the CVR's only"
                    + " through ρ: expect the estimators within a fraction of a point of each other."
                    + common;
        }
        if (v == 1) {
            return "All of the confounder is seen: the propensity is learnable from the features and"
                    + " the common limit is the true CVR (the naive model is itself consistent), so"
                    + " IPW's and DR's AUC gains can only come from a model that cannot fit every"
                    + " region of the feature space (most for rarely clicked users and items), and"
                    + " ESMM gets the same transfer from unclicked rows as Multi-DR."
                    + common;
        }
        return String.format(
                        Locale.ROOT,
                        "The features carry %.0f%% of the confounder's variance: the click logit"
                                + " carries that part too, so training on unclicked rows helps the"
                                + " CVR; the hidden %.0f%% keeps the common limit away from the"
                                + " true CVR (no estimator on features can remove it).",
                        100 * v,
                        100 * (1 - v))
                + common;
    }
}
