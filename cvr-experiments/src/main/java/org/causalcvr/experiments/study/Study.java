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
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.report.ComparisonReport;
import org.causalcvr.experiments.run.Run;
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

    private Study(
            Comparison comparison,
            List<String> references,
            List<String> bucketFields,
            int buckets,
            List<StudyWorld> worlds,
            String title,
            Consumer<String> log) {
        this.comparison = Objects.requireNonNull(comparison);
        this.references = List.copyOf(references);
        this.bucketFields = List.copyOf(bucketFields);
        this.buckets = buckets;
        this.worlds = List.copyOf(worlds);
        this.title = title;
        this.log = log;
    }

    /** A study of {@code comparison} (its train and test data are replaced world by world). */
    public static Study of(Comparison comparison) {
        return new Study(comparison, List.of("base"), List.of(), 3, List.of(), "Study", line -> {});
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
        return new Study(comparison, labels, bucketFields, buckets, worlds, title, log);
    }

    /** Bucket the test rows by the training clicks of each of {@code fields}, in {@code n}. */
    public Study buckets(List<String> fields, int n) {
        if (n < 1) {
            throw new ConfigException("A study needs at least 1 popularity bucket, got " + n);
        }
        return new Study(comparison, references, fields, n, worlds, title, log);
    }

    /** Adds a world (worlds run in the order added). */
    public Study world(StudyWorld world) {
        var all = new ArrayList<>(worlds);
        all.add(world);
        return new Study(comparison, references, bucketFields, buckets, all, title, log);
    }

    public Study title(String text) {
        return new Study(comparison, references, bucketFields, buckets, worlds, text, log);
    }

    /** Receives one line as each world starts and ends (progress for a console). */
    public Study log(Consumer<String> lines) {
        return new Study(comparison, references, bucketFields, buckets, worlds, title, lines);
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
        return this;
    }

    /** Runs the comparison in every world and analyses it. */
    public StudyReport run() {
        validate();
        var outcomes = new ArrayList<WorldOutcome>();
        for (StudyWorld w : worlds) {
            log.accept("World " + w.label() + ": training");
            long start = System.nanoTime();
            ComparisonReport report =
                    comparison
                            .train(w.train())
                            .test(w.test())
                            .title(title + ": " + w.label())
                            .runKeepingEveryScore();
            var bucketed = new ArrayList<PopularityBuckets>();
            for (String field : bucketFields) {
                bucketed.add(PopularityBuckets.of(w.train(), w.test(), field, buckets));
            }
            outcomes.add(analyse(w, report, bucketed, references));
            log.accept(
                    String.format(
                            java.util.Locale.ROOT,
                            "World %s: done in %.0f s",
                            w.label(),
                            (System.nanoTime() - start) / 1e9));
        }
        return new StudyReport(title, references, outcomes);
    }

    /** The per-arm figures of one world from its comparison report and buckets. */
    static WorldOutcome analyse(
            StudyWorld world,
            ComparisonReport report,
            List<PopularityBuckets> bucketed,
            List<String> references) {
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
                            tests,
                            bucketAuc));
        }
        return new WorldOutcome(world, arms, bucketed, report);
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
