package org.causalcvr.experiments.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.report.ComparisonReport;
import org.causalcvr.experiments.run.Arm;
import org.causalcvr.experiments.run.Run;
import org.causalcvr.experiments.run.RunListener;
import org.causalcvr.experiments.run.Scores;
import org.causalcvr.metrics.Auc;
import org.causalcvr.metrics.DeLong;
import org.causalcvr.metrics.DeLongResult;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.LabelledScores;
import org.causalcvr.metrics.OneClassPolicy;
import org.causalcvr.metrics.SpaceReport;

/**
 * The same comparison (estimators, seeds, backend and its settings) run in several worlds, each
 * judged against its ground truth: per estimator the exposure-space CVR AUC against {@code
 * true_cvr}, the bias of the mean pCVR, DeLong's test against a baseline seed by seed, and the AUC
 * in buckets of rarely to often clicked users and items ({@link PopularityBuckets}).
 *
 * <pre>{@code
 * StudyReport report =
 *         Study.of(Comparison.of(runtime).estimators("base", "esmm", "multi-dr").seeds(1, 2, 3))
 *                 .baseline("base")
 *                 .buckets(List.of("user", "item"), 3)
 *                 .world(new StudyWorld("visibility 0", train0, test0, "..."))
 *                 .world(new StudyWorld("visibility 1", train1, test1, "..."))
 *                 .run();
 * report.writeReport(Path.of("study-report"));
 * }</pre>
 *
 * <p>DeLong's test needs 0/1 labels: it compares the two runs on every exposure with the observed
 * conversion where clicked and one drawn from {@code true_cvr} where not (the same draw for every
 * run, from the evaluation's label seed), the space {@code cvr-exposure}. The AUCs of the table are
 * the soft ones against {@code true_cvr} itself ({@code cvr-exposure-true}), which have no such
 * noise.
 */
public final class Study {
    private final Comparison comparison;
    private final List<String> references;
    private final List<String> bucketFields;
    private final int buckets;
    private final List<StudyWorld> worlds;
    private final String title;
    private final Consumer<String> log;
    private final Optional<ValidationScore> earlyStopping;
    private final RunListener listener;
    private final Optional<Candidates> candidates;
    private final int chooseSeeds;

    /** A backend setting's candidate values, each tried with {@code seed} on validation. */
    private record Candidates(List<Dimension> dimensions, long seed) {
        Candidates with(Dimension d) {
            var all = new ArrayList<>(dimensions);
            all.removeIf(x -> x.key().equals(d.key()));
            all.add(d);
            return new Candidates(all, seed);
        }

        String text() {
            return dimensions.stream()
                    .map(d -> d.key() + " among " + d.values())
                    .collect(java.util.stream.Collectors.joining(" and "));
        }
    }

    /**
     * One setting's candidate values: a backend setting for every arm, or an estimator setting for
     * the arms whose estimator is one of {@code estimators}.
     */
    private record Dimension(
            String key, List<String> values, boolean backend, java.util.Set<String> estimators) {
        boolean appliesTo(Arm arm) {
            return backend || estimators.contains(arm.estimator());
        }
    }

    private Study(Draft d) {
        this.comparison = Objects.requireNonNull(d.comparison);
        this.references = List.copyOf(d.references);
        this.bucketFields = List.copyOf(d.bucketFields);
        this.buckets = d.buckets;
        this.worlds = List.copyOf(d.worlds);
        this.title = d.title;
        this.log = Objects.requireNonNull(d.log);
        this.earlyStopping = Objects.requireNonNull(d.earlyStopping);
        this.listener = Objects.requireNonNull(d.listener);
        this.candidates = Objects.requireNonNull(d.candidates);
        this.chooseSeeds = d.chooseSeeds;
    }

    /**
     * A study's settings while one of its withers changes them: every wither copies the study into
     * a draft, changes one thing and freezes the draft into a new study, so that a study stays
     * immutable without every wither spelling out every field.
     */
    private static final class Draft {
        Comparison comparison;
        List<String> references = List.of("base");
        List<String> bucketFields = List.of();
        int buckets = 3;
        List<StudyWorld> worlds = List.of();
        String title = "Study";
        Consumer<String> log = line -> {};
        Optional<ValidationScore> earlyStopping = Optional.empty();
        RunListener listener = RunListener.SILENT;
        Optional<Candidates> candidates = Optional.empty();
        int chooseSeeds = 1;

        Draft(Comparison comparison) {
            this.comparison = comparison;
        }

        Draft(Study s) {
            this(s.comparison);
            references = s.references;
            bucketFields = s.bucketFields;
            buckets = s.buckets;
            worlds = s.worlds;
            title = s.title;
            log = s.log;
            earlyStopping = s.earlyStopping;
            listener = s.listener;
            candidates = s.candidates;
            chooseSeeds = s.chooseSeeds;
        }
    }

    private Study with(Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new Study(d);
    }

    /** A study of {@code comparison} (its train and test data are replaced world by world). */
    public static Study of(Comparison comparison) {
        return new Study(new Draft(comparison));
    }

    /** The arm every other is tested against (default {@code base}). */
    public Study baseline(String label) {
        return against(List.of(label));
    }

    /**
     * The arms every other is tested against, seed by seed (the first is the baseline of the table;
     * default {@code base}).
     */
    public Study against(List<String> labels) {
        if (labels.isEmpty()) {
            throw new ConfigException("A study needs at least one arm to test against");
        }
        return with(d -> d.references = labels);
    }

    /** Bucket the test rows by the training clicks of each of {@code fields}, in {@code n}. */
    public Study buckets(List<String> fields, int n) {
        if (n < 1) {
            throw new ConfigException("A study needs at least 1 popularity bucket, got " + n);
        }
        return with(
                d -> {
                    d.bucketFields = fields;
                    d.buckets = n;
                });
    }

    /** Adds a world (worlds run in the order added). */
    public Study world(StudyWorld world) {
        var all = new ArrayList<>(worlds);
        all.add(Objects.requireNonNull(world));
        return with(d -> d.worlds = all);
    }

    public Study title(String text) {
        return with(d -> d.title = text);
    }

    /** Receives one line as each world starts and ends (progress for a console). */
    public Study log(Consumer<String> lines) {
        return with(d -> d.log = lines);
    }

    /**
     * Stops each run early on its world's validation sample by {@code score}: a run trains up to
     * the backend's {@code epochs}, ends after the backend's {@code patience} epochs without a
     * better score, and keeps the parameters of its best epoch. So every estimator gets the number
     * of epochs that suits it, chosen on data of the same world that is never the test data; the
     * report gives the epoch each run kept. Every world then needs a validation sample.
     */
    public Study earlyStopping(ValidationScore score) {
        return with(d -> d.earlyStopping = Optional.of(score));
    }

    /**
     * Chooses the backend setting {@code key} (such as {@code learning-rate}) among {@code values}
     * world by world and estimator by estimator, on the world's validation sample only: before a
     * world's runs, each estimator trains once per value (per combination, with the other chosen
     * settings) with backend seed {@code seed}, stopped early like the study's runs, and the
     * combination whose kept epoch scores best on validation is the one its runs use (the first of
     * equals; a failed run ranks last). Needs {@link #earlyStopping}, whose score ranks the values.
     * The report gives each choice with its scores.
     */
    public Study choose(String key, List<String> values, long seed) {
        return choose(new Dimension(key, List.copyOf(values), true, java.util.Set.of()), seed);
    }

    /**
     * Like {@link #choose(String, List, long)} for a setting of the backend or of the estimators,
     * routed by which declares it in {@code runtime}: a backend setting is tried for every
     * estimator, an estimator setting only for the estimators that declare it (the others keep
     * theirs).
     */
    public Study choose(String key, List<String> values, long seed, CvrRuntime runtime) {
        boolean backend =
                runtime.backend(comparison.backendName()).configSchema().key(key).isPresent();
        var declaring = new java.util.TreeSet<String>();
        for (Arm arm : comparison.resolvedArms()) {
            if (runtime.estimator(arm.estimator()).configSchema().key(key).isPresent()) {
                declaring.add(arm.estimator());
            }
        }
        if (!backend && declaring.isEmpty()) {
            throw new ConfigException(
                    "A study cannot choose '"
                            + key
                            + "': neither the backend nor any of its estimators declares it");
        }
        return choose(new Dimension(key, List.copyOf(values), backend, declaring), seed);
    }

    private Study choose(Dimension d, long seed) {
        if (d.values().isEmpty()) {
            throw new ConfigException("A study chooses '" + d.key() + "' among at least one value");
        }
        if (d.key().equals("seed") || d.key().equals("epochs")) {
            throw new ConfigException(
                    "A study cannot choose '"
                            + d.key()
                            + "' (seeds are the study's, epochs early stopping's)");
        }
        Candidates all = candidates.map(c -> c.with(d)).orElse(new Candidates(List.of(d), seed));
        return with(draft -> draft.candidates = Optional.of(all));
    }

    /**
     * Makes every {@link #choose} choice on {@code count} backend seeds instead of one: the
     * choice's seed and the {@code count - 1} after it. Each combination trains once per seed, is
     * scored by its mean validation score over them, and ranks last if its run fails on any of
     * them. Why: one seed cannot see a setting that trains well on that seed and diverges on others
     * (inverse propensity weights near the floor can do that in the first epoch), and the study's
     * runs use ten seeds. Default 1.
     */
    public Study chooseSeeds(int count) {
        if (count < 1) {
            throw new ConfigException("A study chooses on at least one seed, not " + count);
        }
        return with(draft -> draft.chooseSeeds = count);
    }

    /** Observes each training run (progress bars); default: silent. */
    public Study listener(RunListener runs) {
        return with(d -> d.listener = runs);
    }

    /**
     * Checks names and settings without training: the comparison's, and that every reference is one
     * of its arms.
     */
    public Study validate() {
        comparison.validate();
        var labels = comparison.resolvedArms().stream().map(a -> a.label()).toList();
        for (String reference : references) {
            if (!labels.contains(reference)) {
                throw new ConfigException(
                        "The study's reference '"
                                + reference
                                + "' is not one of its estimators "
                                + labels);
            }
        }
        if (worlds.isEmpty()) {
            throw new ConfigException("A study needs at least one world");
        }
        if (candidates.isPresent() && earlyStopping.isEmpty()) {
            throw new ConfigException(
                    "A study that chooses '"
                            + candidates.get().text()
                            + "' on validation needs an early-stopping score to rank the values");
        }
        if (earlyStopping.isPresent()) {
            for (StudyWorld w : worlds) {
                if (w.validation().isEmpty()) {
                    throw new ConfigException(
                            "The study stops early on "
                                    + earlyStopping.get().name()
                                    + " but world '"
                                    + w.label()
                                    + "' has no validation sample");
                }
            }
        }
        return this;
    }

    /** Runs the comparison in every world and analyses it. */
    public StudyReport run() {
        validate();
        var outcomes = new ArrayList<WorldOutcome>();
        for (StudyWorld w : worlds) {
            log.accept("World " + w.label() + ": training");
            long start = System.nanoTime();
            Comparison inWorld =
                    comparison
                            .train(w.train())
                            .test(w.test())
                            .listener(listener)
                            .title(title + ": " + w.label());
            if (earlyStopping.isPresent()) {
                inWorld = inWorld.validation(w.validation().orElseThrow(), earlyStopping.get());
            }
            Map<String, SettingChoice> choices = new LinkedHashMap<>();
            if (candidates.isPresent()) {
                log.accept(
                        "World "
                                + w.label()
                                + ": choosing "
                                + candidates.get().text()
                                + " on validation"
                                + (chooseSeeds == 1 ? "" : " over " + chooseSeeds + " seeds"));
                choices = choose(inWorld, w);
                var arms = new ArrayList<Arm>();
                for (Arm arm : inWorld.resolvedArms()) {
                    arms.add(with(arm, arm.label(), choices.get(arm.label()).chosen()));
                }
                inWorld = inWorld.withArms(arms);
            }
            ComparisonReport report = inWorld.runKeepingEveryScore();
            var bucketed = new ArrayList<PopularityBuckets>();
            for (String field : bucketFields) {
                bucketed.add(PopularityBuckets.of(w.train(), w.test(), field, buckets));
            }
            outcomes.add(analyse(w, report, bucketed, references, choices));
            log.accept(
                    String.format(
                            java.util.Locale.ROOT,
                            "World %s: done in %.0f s",
                            w.label(),
                            (System.nanoTime() - start) / 1e9));
        }
        return new StudyReport(title, references, outcomes);
    }

    /**
     * The per-arm figures of one world from its comparison report and buckets; the epochs each run
     * kept and trained come from its validation curve, when it stopped early.
     */
    static WorldOutcome analyse(
            StudyWorld world,
            ComparisonReport report,
            List<PopularityBuckets> bucketed,
            List<String> references,
            Map<String, SettingChoice> choices) {
        Map<String, Map<Long, Scores>> referenceScores = new LinkedHashMap<>();
        for (String reference : references) {
            Map<Long, Scores> bySeed = new HashMap<>();
            for (Run r : report.runs()) {
                if (r.arm().label().equals(reference) && !r.failed()) {
                    r.scores().ifPresent(s -> bySeed.put(r.seed(), s));
                }
            }
            referenceScores.put(reference, bySeed);
        }
        var arms = new ArrayList<ArmOutcome>();
        for (String arm : report.arms()) {
            var seeds = new ArrayList<Long>();
            var auc = new ArrayList<Double>();
            var bias = new ArrayList<Double>();
            var keptEpochs = new ArrayList<int[]>();
            Map<String, List<Optional<DeLongResult>>> tests = new LinkedHashMap<>();
            for (String reference : references) {
                tests.put(reference, new ArrayList<>());
            }
            Map<String, List<double[]>> perBucket = new LinkedHashMap<>();
            int failed = 0;
            for (Run r : report.runs()) {
                if (!r.arm().label().equals(arm)) {
                    continue;
                }
                if (r.failed()) {
                    failed++;
                    continue;
                }
                SpaceReport truth =
                        r.report()
                                .space(EvaluationSpace.CVR_EXPOSURE_TRUE)
                                .orElseThrow(
                                        () ->
                                                new ConfigException(
                                                        "A study needs test data with true_cvr: "
                                                                + world.label()
                                                                + "'s test data has none"));
                seeds.add(r.seed());
                if (r.validation().epochs() > 0) {
                    keptEpochs.add(new int[] {r.validation().keptEpoch(), r.validation().epochs()});
                }
                auc.add(truth.auc());
                bias.add(truth.bias().orElse(truth.meanPredicted() - truth.observedRate()));
                Scores scores =
                        r.scores()
                                .orElseThrow(
                                        () ->
                                                new IllegalStateException(
                                                        "Run "
                                                                + arm
                                                                + " seed "
                                                                + r.seed()
                                                                + " kept no scores"));
                for (String reference : references) {
                    Scores other = referenceScores.get(reference).get(r.seed());
                    tests.get(reference)
                            .add(
                                    arm.equals(reference) || other == null
                                            ? Optional.empty()
                                            : Optional.of(
                                                    deLong(scores.primary(), other.primary())));
                }
                LabelledScores soft = scores.againstTruth().orElseThrow();
                for (PopularityBuckets b : bucketed) {
                    if (b.bucketOfRow().length != soft.size()) {
                        throw new IllegalStateException(
                                "Popularity buckets of "
                                        + b.bucketOfRow().length
                                        + " rows for "
                                        + soft.size()
                                        + " test scores");
                    }
                    double[] values = new double[b.size()];
                    for (int k = 0; k < b.size(); k++) {
                        values[k] = bucketAuc(soft, b.rowsOf(k));
                    }
                    perBucket.computeIfAbsent(b.field(), f -> new ArrayList<>()).add(values);
                }
            }
            Map<String, double[][]> bucketAuc = new LinkedHashMap<>();
            for (PopularityBuckets b : bucketed) {
                List<double[]> bySeed = perBucket.getOrDefault(b.field(), List.of());
                double[][] byBucket = new double[b.size()][bySeed.size()];
                for (int s = 0; s < bySeed.size(); s++) {
                    for (int k = 0; k < b.size(); k++) {
                        byBucket[k][s] = bySeed.get(s)[k];
                    }
                }
                bucketAuc.put(b.field(), byBucket);
            }
            arms.add(
                    new ArmOutcome(
                            arm,
                            seeds,
                            failed,
                            auc.stream().mapToDouble(Double::doubleValue).toArray(),
                            bias.stream().mapToDouble(Double::doubleValue).toArray(),
                            keptEpochs.stream().mapToInt(e -> e[0]).toArray(),
                            keptEpochs.stream().mapToInt(e -> e[1]).toArray(),
                            Optional.ofNullable(choices.get(arm)),
                            tests,
                            bucketAuc));
        }
        return new WorldOutcome(world, arms, bucketed, report, oracles(world, report, bucketed));
    }

    /**
     * What each of the world's oracles reaches on the test rows, against the same {@code true_cvr}
     * the runs were scored on (read from the first run that did not fail; none when all failed).
     */
    private static List<OracleOutcome> oracles(
            StudyWorld world, ComparisonReport report, List<PopularityBuckets> bucketed) {
        if (world.oracles().isEmpty()) {
            return List.of();
        }
        Optional<LabelledScores> truth =
                report.runs().stream()
                        .filter(r -> !r.failed())
                        .flatMap(r -> r.scores().stream())
                        .flatMap(s -> s.againstTruth().stream())
                        .findFirst();
        if (truth.isEmpty()) {
            return List.of();
        }
        float[] q = truth.get().probabilities();
        var out = new ArrayList<OracleOutcome>();
        for (OracleScores o : world.oracles()) {
            if (o.scores().length != q.length) {
                throw new IllegalStateException(
                        "Oracle "
                                + o.name()
                                + " scores "
                                + o.scores().length
                                + " rows, the test data of "
                                + world.label()
                                + " has "
                                + q.length);
            }
            var soft = new LabelledScores(EvaluationSpace.CVR_EXPOSURE_TRUE, o.scores(), null, q);
            double mean = 0;
            double meanTruth = 0;
            for (int i = 0; i < q.length; i++) {
                mean += o.scores()[i];
                meanTruth += q[i];
            }
            Map<String, double[]> byBucket = new LinkedHashMap<>();
            for (PopularityBuckets b : bucketed) {
                double[] values = new double[b.size()];
                for (int k = 0; k < b.size(); k++) {
                    values[k] = bucketAuc(soft, b.rowsOf(k));
                }
                byBucket.put(b.field(), values);
            }
            out.add(
                    new OracleOutcome(
                            o.name(),
                            o.meaning(),
                            Auc.soft(o.scores(), q),
                            (mean - meanTruth) / q.length,
                            byBucket));
        }
        return out;
    }

    /**
     * Trains every arm of {@code inWorld} once per combination of the candidate values that apply
     * to it and per choosing seed, tests each on the world's validation sample (never its test
     * sample), and picks per arm the combination whose kept epoch scored best there on the mean
     * over the seeds; a combination whose run failed on any seed ranks last.
     */
    private Map<String, SettingChoice> choose(Comparison inWorld, StudyWorld world) {
        Candidates c = candidates.orElseThrow();
        ValidationScore score = earlyStopping.orElseThrow();
        List<Long> seeds = LongStream.range(c.seed(), c.seed() + chooseSeeds).boxed().toList();
        List<Arm> arms = inWorld.resolvedArms();
        var trials = new ArrayList<Arm>();
        var grids = new ArrayList<List<Map<String, String>>>();
        for (Arm arm : arms) {
            List<Map<String, String>> grid = List.of(Map.of());
            for (Dimension d : c.dimensions()) {
                if (!d.appliesTo(arm)) {
                    continue;
                }
                var next = new ArrayList<Map<String, String>>();
                for (Map<String, String> partial : grid) {
                    for (String value : d.values()) {
                        var m = new LinkedHashMap<>(partial);
                        m.put(d.key(), value);
                        next.add(m);
                    }
                }
                grid = next;
            }
            grids.add(grid);
            for (Map<String, String> settings : grid) {
                trials.add(with(arm, trialLabel(arm, settings), settings));
            }
        }
        ComparisonReport tried =
                inWorld.withArms(trials)
                        .seeds(seeds)
                        .test(world.validation().orElseThrow())
                        .title(title + ": " + world.label() + ", choosing " + c.text())
                        .run();
        var runsByTrial = new LinkedHashMap<String, List<Run>>();
        for (Run run : tried.runs()) {
            runsByTrial.computeIfAbsent(run.arm().label(), k -> new ArrayList<>()).add(run);
        }
        var out = new LinkedHashMap<String, SettingChoice>();
        for (int a = 0; a < arms.size(); a++) {
            var bySettings = new LinkedHashMap<String, Double>();
            Map<String, String> best = null;
            double bestScore = Double.NaN;
            for (Map<String, String> settings : grids.get(a)) {
                double s =
                        meanValidationScore(
                                runsByTrial.get(trialLabel(arms.get(a), settings)), seeds.size());
                bySettings.put(SettingChoice.text(settings), s);
                boolean better =
                        !Double.isNaN(s)
                                && (Double.isNaN(bestScore)
                                        || (score.higherIsBetter()
                                                ? s > bestScore
                                                : s < bestScore));
                if (best == null || better) {
                    best = settings;
                    bestScore = s;
                }
            }
            out.put(arms.get(a).label(), new SettingChoice(best, bySettings, score.name(), seeds));
        }
        return out;
    }

    private static String trialLabel(Arm arm, Map<String, String> settings) {
        return arm.label() + " " + SettingChoice.text(settings);
    }

    /**
     * The mean over {@code seeds} runs of the score of each run's kept epoch; NaN when a run is
     * missing, failed or has no score.
     */
    private static double meanValidationScore(List<Run> runs, int seeds) {
        if (runs == null || runs.size() != seeds) {
            return Double.NaN;
        }
        double sum = 0;
        for (Run run : runs) {
            double s = run.failed() ? Double.NaN : run.validation().best().orElse(Double.NaN);
            if (Double.isNaN(s)) {
                return Double.NaN;
            }
            sum += s;
        }
        return sum / seeds;
    }

    /**
     * {@code arm}, relabelled, with {@code settings}: each a backend setting where a backend
     * candidate names it, else an estimator setting.
     */
    private Arm with(Arm arm, String label, Map<String, String> settings) {
        var backend = new LinkedHashMap<>(arm.backendSettings());
        var estimator = new LinkedHashMap<>(arm.settings());
        for (var e : settings.entrySet()) {
            boolean isBackend =
                    candidates.orElseThrow().dimensions().stream()
                            .anyMatch(d -> d.key().equals(e.getKey()) && d.backend());
            (isBackend ? backend : estimator).put(e.getKey(), e.getValue());
        }
        return new Arm(label, arm.estimator(), estimator, backend);
    }

    /** DeLong's test of {@code a} against {@code b} on the same rows and labels. */
    private static DeLongResult deLong(LabelledScores a, LabelledScores b) {
        if (a.labels() == null || !Arrays.equals(a.labels(), b.labels())) {
            throw new IllegalStateException(
                    "DeLong's test needs the same 0/1 labels for both runs");
        }
        return DeLong.compare(a.scores(), b.scores(), a.labels());
    }

    /** The soft AUC of the rows {@code rows} of {@code soft}; NaN when they carry no pair. */
    private static double bucketAuc(LabelledScores soft, int[] rows) {
        float[] s = new float[rows.length];
        float[] q = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            s[i] = soft.scores()[rows[i]];
            q[i] = soft.probabilities()[rows[i]];
        }
        if (rows.length < 2) {
            return Double.NaN;
        }
        return Auc.soft(s, q, OneClassPolicy.NAN, "bucket");
    }
}
