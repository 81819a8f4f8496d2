package org.causalcvr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.metrics.Binning;
import org.causalcvr.metrics.CalibrationBin;
import org.causalcvr.metrics.CalibrationTable;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.Evaluator;
import org.causalcvr.metrics.GroupMetrics;
import org.causalcvr.metrics.GroupReport;
import org.causalcvr.metrics.LogLoss;
import org.causalcvr.metrics.OneClassPolicy;
import org.causalcvr.metrics.SpaceReport;
import org.causalcvr.metrics.UndefinedMetricException;
import scala.Tuple2;

/**
 * The {@link Evaluator} of cvr-metrics, computed by Spark without ever holding the data in one
 * place: the same {@link EvaluationReport} (every space, AUC with ties, soft AUC, GAUC of paper eq.
 * 12 with Recall@K and NDCG@K, LogLoss, equal-width and equal-mass calibration, bias) for the same
 * rows, equal to the single-machine numbers up to the order of floating-point sums.
 *
 * <p><b>AUC.</b> The rows of a space are range-partitioned by their score key and sorted in each
 * partition ({@code sortByKey}), so equal scores meet in one partition. Each partition returns its
 * label counts and its local Mann-Whitney sum {@code Σ pos·(2·neg_below + neg_tied)} over its tie
 * blocks; the driver orders the partitions by key and adds to each partition's sum {@code 2 ·
 * positives · negatives in earlier partitions}: exact, in 64-bit integers. Soft labels do the same
 * with masses. <b>Equal-mass calibration</b> reuses the sorted partitions: with global row offsets
 * from the first pass, a tie block starting at offset {@code o} belongs to the bin of the first cut
 * {@code ⌊n·b/B⌋ − 1 ≥ o} — the bins of {@link org.causalcvr.metrics.Calibration}, which never
 * split ties. <b>GAUC</b>: rows are hash-partitioned by group and sorted, and each group's rows go
 * through {@link GroupMetrics#compute} on their own; the driver adds the groups up as GroupMetrics
 * does. <b>LogLoss</b> sums {@link LogLoss} over chunks of rows.
 *
 * <p>Drawn labels of the ground-truth spaces depend on the row's position in the stream; it is the
 * {@code row} column when the DataFrame has one, else the position in the DataFrame's partition
 * order (as {@code cvr evaluate} counts the rows of a file).
 */
public final class DistributedEvaluation {
    /** An optional column with each row's 0-based position in the log. */
    public static final String ROW = "row";

    private static final int CLICK = 1;
    private static final int CONVERSION = 2;
    private static final int DRAWN = 4;
    private static final int CHUNK = 1 << 14;

    private DistributedEvaluation() {}

    /**
     * Evaluates scored rows: columns {@code click}, {@code conversion}, {@code pctr}, {@code pcvr}
     * (as {@link ModelScoring} appends them), and optionally {@code group}, {@code true_cvr} and
     * {@code row}.
     *
     * @param partitions how many range partitions the sorts use
     */
    public static EvaluationReport evaluate(
            Dataset<Row> scored, EvaluationOptions options, int partitions) {
        try {
            return run(scored, options, partitions);
        } catch (RuntimeException e) {
            throw SparkErrors.unwrap(e);
        }
    }

    /** One row, as the evaluator keeps it. */
    record Rec(byte flags, float ctr, float cvr, float truth, long group) implements Serializable {}

    private static EvaluationReport run(
            Dataset<Row> scored, EvaluationOptions options, int partitions) {
        List<String> cols = List.of(scored.columns());
        int click = require(cols, ReservedColumns.CLICK);
        int conversion = require(cols, ReservedColumns.CONVERSION);
        int ctr = require(cols, ModelScoring.PCTR);
        int cvr = require(cols, ModelScoring.PCVR);
        int truthCol = cols.indexOf(ReservedColumns.TRUE_CVR);
        int groupCol = cols.indexOf(ReservedColumns.GROUP);
        int rowCol = cols.indexOf(ROW);
        boolean truth = truthCol >= 0;
        boolean grouped = groupCol >= 0;
        long seed = options.labelSeed();
        JavaPairRDD<Row, Long> indexed =
                rowCol >= 0
                        ? scored.javaRDD()
                                .mapToPair(
                                        r -> new Tuple2<>(r, ((Number) r.get(rowCol)).longValue()))
                        : scored.javaRDD().zipWithIndex();
        JavaRDD<Rec> recs =
                indexed.map(
                                t -> {
                                    Row r = t._1();
                                    long row = t._2();
                                    float pc = probability(r.get(ctr), "pCTR", row);
                                    float pv = probability(r.get(cvr), "pCVR", row);
                                    int c = ((Number) r.get(click)).intValue();
                                    int v = ((Number) r.get(conversion)).intValue();
                                    if ((c & ~1) != 0 || (v & ~1) != 0 || v > c) {
                                        throw new DataException(
                                                "Row "
                                                        + row
                                                        + ": click "
                                                        + c
                                                        + " and conversion "
                                                        + v
                                                        + " are not labels (0/1, conversion only with a click)");
                                    }
                                    int f = c * CLICK + v * CONVERSION;
                                    float q = 0;
                                    if (truth) {
                                        q = ((Number) r.get(truthCol)).floatValue();
                                        if (!(q >= 0f && q <= 1f)) {
                                            throw new DataException(
                                                    "Column 'true_cvr', row "
                                                            + row
                                                            + ": "
                                                            + q
                                                            + " is outside [0, 1]");
                                        }
                                        if (Evaluator.uniform(seed, row) < q) {
                                            f |= DRAWN;
                                        }
                                    }
                                    long g = grouped ? ((Number) r.get(groupCol)).longValue() : 0;
                                    return new Rec((byte) f, pc, pv, q, g);
                                })
                        .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long rows = recs.count();
            List<SpaceReport> reports = new ArrayList<>();
            for (EvaluationSpace space : EvaluationSpace.values()) {
                if (options.spaces().contains(space) && (truth || !space.needsGroundTruth())) {
                    reports.add(space(recs, space, grouped, truth, options, partitions));
                }
            }
            return new EvaluationReport(rows, truth, grouped, options, reports);
        } finally {
            recs.unpersist();
        }
    }

    private static int require(List<String> cols, String name) {
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new DataException("Column '" + name + "': missing from the scored rows " + cols);
        }
        return i;
    }

    private static float probability(Object v, String column, long row) {
        float p = ((Number) v).floatValue();
        if (!(p >= 0f && p <= 1f)) {
            throw new DataException(
                    "Predictions, column '"
                            + column
                            + "', row "
                            + row
                            + ": "
                            + p
                            + " is not a probability in [0, 1]");
        }
        return p;
    }

    static boolean inSpace(EvaluationSpace space, int f) {
        return switch (space) {
            case CVR_CLICKED -> (f & CLICK) != 0;
            case CVR_UNCLICKED, CVR_UNCLICKED_TRUE -> (f & CLICK) == 0;
            default -> true;
        };
    }

    static float score(EvaluationSpace space, Rec r) {
        return switch (space) {
            case CTR -> r.ctr();
            case CTCVR -> r.ctr() * r.cvr();
            default -> r.cvr();
        };
    }

    /** The label of a row in a space: 0/1, or the true probability for soft spaces. */
    static float label(EvaluationSpace space, Rec r) {
        int f = r.flags();
        return switch (space) {
            case CTR -> f & CLICK;
            case CTCVR, CVR_CLICKED -> (f & CONVERSION) != 0 ? 1 : 0;
            case CVR_EXPOSURE, CVR_UNCLICKED ->
                    (f & CLICK) != 0 ? ((f & CONVERSION) != 0 ? 1 : 0) : ((f & DRAWN) != 0 ? 1 : 0);
            default -> r.truth();
        };
    }

    /** The order-preserving int key of a score (cvr-metrics' ScoreKeys: the two zeros tie). */
    static int key(float score) {
        int bits = Float.floatToRawIntBits(score + 0.0f);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    static float scoreOf(int key) {
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
    }

    /** What one sorted partition knows. */
    record Part(
            int index,
            int firstKey,
            long rows,
            long positives,
            double positiveMass,
            double negativeMass,
            long twiceU,
            double softNumerator,
            double selfPairs,
            double logLossSum,
            double predictedSum,
            double labelSum,
            double truthSum,
            long[] widthRows,
            double[] widthPredicted,
            double[] widthLabel)
            implements Serializable {}

    private static SpaceReport space(
            JavaRDD<Rec> recs,
            EvaluationSpace space,
            boolean grouped,
            boolean truth,
            EvaluationOptions options,
            int partitions) {
        boolean soft = space.softLabels();
        boolean cvrTruth = truth && space.isCvr();
        int bins = options.calibrationBins();
        double eps = options.logLossEpsilon();
        // (score key, (label, true_cvr)), range-partitioned and sorted by key
        JavaPairRDD<Integer, float[]> sorted =
                recs.filter(r -> inSpace(space, r.flags()))
                        .mapToPair(
                                r ->
                                        new Tuple2<>(
                                                key(score(space, r)),
                                                new float[] {label(space, r), r.truth()}))
                        .sortByKey(true, partitions)
                        .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Part> parts =
                    new ArrayList<>(
                            sorted.mapPartitionsWithIndex(
                                            (index, it) ->
                                                    List.of(summarise(index, it, soft, bins, eps))
                                                            .iterator(),
                                            true)
                                    .collect());
            parts.sort((a, b) -> Integer.compare(a.index(), b.index()));
            long n = 0;
            long positives = 0;
            double positiveMass = 0;
            double negativeMass = 0;
            long twiceU = 0;
            double softNumerator = 0;
            double selfPairs = 0;
            double logLoss = 0;
            double predicted = 0;
            double labels = 0;
            double truthSum = 0;
            long[] widthRows = new long[bins];
            double[] widthPredicted = new double[bins];
            double[] widthLabel = new double[bins];
            long[] offsets = new long[parts.size()];
            int lastKey = Integer.MIN_VALUE;
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                offsets[i] = n;
                if (p.rows() == 0) {
                    continue;
                }
                if (p.firstKey() < lastKey) {
                    throw new IllegalStateException("range partitions out of order");
                }
                lastKey = p.firstKey();
                long negativesBefore = n - positives;
                twiceU += p.twiceU() + 2 * p.positives() * negativesBefore;
                softNumerator += p.softNumerator() + p.positiveMass() * negativeMass;
                selfPairs += p.selfPairs();
                n += p.rows();
                positives += p.positives();
                positiveMass += p.positiveMass();
                negativeMass += p.negativeMass();
                logLoss += p.logLossSum();
                predicted += p.predictedSum();
                labels += p.labelSum();
                truthSum += p.truthSum();
                for (int b = 0; b < bins; b++) {
                    widthRows[b] += p.widthRows()[b];
                    widthPredicted[b] += p.widthPredicted()[b];
                    widthLabel[b] += p.widthLabel()[b];
                }
            }
            String what = "space " + space.label();
            OptionalDouble bias =
                    !cvrTruth || n == 0
                            ? OptionalDouble.empty()
                            : OptionalDouble.of((predicted - truthSum) / n);
            if (n == 0) {
                if (options.oneClass() == OneClassPolicy.ERROR) {
                    throw new UndefinedMetricException("No rows in " + what);
                }
                return new SpaceReport(
                        space,
                        0,
                        0,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        Optional.empty(),
                        Optional.empty(),
                        bias);
            }
            double auc;
            if (soft) {
                double denominator = positiveMass * negativeMass - selfPairs;
                if (!(denominator > 0)) {
                    if (options.oneClass() == OneClassPolicy.NAN) {
                        auc = Double.NaN;
                    } else {
                        throw new UndefinedMetricException(
                                "Soft AUC is undefined for "
                                        + what
                                        + ": no pair of rows has weight (total positive mass "
                                        + positiveMass
                                        + ", negative mass "
                                        + negativeMass
                                        + ")");
                    }
                } else {
                    auc = (softNumerator - 0.5 * selfPairs) / denominator;
                }
            } else {
                long n0 = n - positives;
                if (positives == 0 || n0 == 0) {
                    if (options.oneClass() == OneClassPolicy.NAN) {
                        auc = Double.NaN;
                    } else {
                        // the single-machine message, word for word
                        throw new UndefinedMetricException(
                                "AUC is undefined for "
                                        + what
                                        + ": it needs both classes, got "
                                        + positives
                                        + " positive and "
                                        + n0
                                        + " negative rows");
                    }
                } else {
                    auc = twiceU / (2.0 * positives * n0);
                }
            }
            CalibrationTable calibration =
                    options.binning() == Binning.EQUAL_WIDTH
                            ? table(
                                    Binning.EQUAL_WIDTH,
                                    bins,
                                    n,
                                    equalWidth(widthRows, widthPredicted, widthLabel))
                            : table(
                                    Binning.EQUAL_MASS,
                                    bins,
                                    n,
                                    equalMass(sorted, offsets, n, bins));
            Optional<GroupReport> groups =
                    grouped && !soft
                            ? Optional.of(groups(recs, space, options.k(), partitions, what))
                            : Optional.empty();
            return new SpaceReport(
                    space,
                    n,
                    labels,
                    auc,
                    logLoss / n,
                    predicted / n,
                    labels / n,
                    Optional.of(calibration),
                    groups,
                    bias);
        } finally {
            sorted.unpersist();
        }
    }

    private static Part summarise(
            int index, Iterator<Tuple2<Integer, float[]>> it, boolean soft, int bins, double eps) {
        long rows = 0;
        long positives = 0;
        double positiveMass = 0;
        double negativeMass = 0;
        long twiceU = 0;
        long negativesBelow = 0;
        double softNumerator = 0;
        double selfPairs = 0;
        double logLoss = 0;
        double predicted = 0;
        double labels = 0;
        double truth = 0;
        long[] widthRows = new long[bins];
        double[] widthPredicted = new double[bins];
        double[] widthLabel = new double[bins];
        float[] chunkScores = new float[CHUNK];
        float[] chunkSoft = new float[CHUNK];
        int[] chunkLabels = new int[CHUNK];
        int chunk = 0;
        int firstKey = 0;
        Tuple2<Integer, float[]> pending = it.hasNext() ? it.next() : null;
        if (pending != null) {
            firstKey = pending._1();
        }
        while (pending != null) {
            int key = pending._1();
            long blockPositives = 0;
            long blockRows = 0;
            double blockPositiveMass = 0;
            double blockNegativeMass = 0;
            while (pending != null && pending._1() == key) {
                float y = pending._2()[0];
                float p = scoreOf(key);
                blockRows++;
                if (soft) {
                    double q = y;
                    blockPositiveMass += q;
                    blockNegativeMass += 1 - q;
                    selfPairs += q * (1 - q);
                } else {
                    blockPositives += (int) y;
                }
                predicted += p;
                labels += y;
                truth += pending._2()[1];
                int b = Math.min((int) (p * (double) bins), bins - 1);
                widthRows[b]++;
                widthPredicted[b] += p;
                widthLabel[b] += y;
                chunkScores[chunk] = p;
                chunkSoft[chunk] = y;
                chunkLabels[chunk] = (int) y;
                if (++chunk == CHUNK) {
                    logLoss += chunkLoss(chunkScores, chunkSoft, chunkLabels, chunk, soft, eps);
                    chunk = 0;
                }
                pending = it.hasNext() ? it.next() : null;
            }
            long blockNegatives = blockRows - blockPositives;
            twiceU += blockPositives * (2 * negativesBelow + blockNegatives);
            negativesBelow += blockNegatives;
            softNumerator += blockPositiveMass * (negativeMass + 0.5 * blockNegativeMass);
            positiveMass += blockPositiveMass;
            negativeMass += blockNegativeMass;
            positives += blockPositives;
            rows += blockRows;
        }
        if (chunk > 0) {
            logLoss += chunkLoss(chunkScores, chunkSoft, chunkLabels, chunk, soft, eps);
        }
        return new Part(
                index,
                firstKey,
                rows,
                positives,
                positiveMass,
                negativeMass,
                twiceU,
                softNumerator,
                selfPairs,
                logLoss,
                predicted,
                labels,
                truth,
                widthRows,
                widthPredicted,
                widthLabel);
    }

    /** Σ of the clamped cross-entropy over a chunk, by cvr-metrics' own {@link LogLoss}. */
    private static double chunkLoss(
            float[] scores, float[] soft, int[] labels, int n, boolean isSoft, double eps) {
        float[] s = Arrays.copyOf(scores, n);
        double mean =
                isSoft
                        ? LogLoss.soft(s, Arrays.copyOf(soft, n), eps)
                        : LogLoss.binary(s, Arrays.copyOf(labels, n), eps);
        return mean * n;
    }

    private static List<CalibrationBin> equalWidth(
            long[] rows, double[] predicted, double[] label) {
        int bins = rows.length;
        List<CalibrationBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            out.add(
                    new CalibrationBin(
                            (double) b / bins,
                            (double) (b + 1) / bins,
                            rows[b],
                            rows[b] == 0 ? Double.NaN : predicted[b] / rows[b],
                            rows[b] == 0 ? Double.NaN : label[b] / rows[b]));
        }
        return out;
    }

    /** Per bin: rows, Σ prediction, Σ label, first and last key. */
    record MassBin(long rows, double predicted, double label, int firstKey, int lastKey)
            implements Serializable {
        MassBin plus(MassBin o) {
            return new MassBin(
                    rows + o.rows,
                    predicted + o.predicted,
                    label + o.label,
                    Math.min(firstKey, o.firstKey),
                    Math.max(lastKey, o.lastKey));
        }
    }

    private static List<CalibrationBin> equalMass(
            JavaPairRDD<Integer, float[]> sorted, long[] offsets, long n, int bins) {
        long[] cuts = new long[bins]; // the last row of each cut, ⌊n·b/B⌋ − 1, for cuts past row 0
        for (int b = 1; b <= bins; b++) {
            cuts[b - 1] = n * b / bins - 1;
        }
        List<Tuple2<Integer, MassBin>> perBin =
                sorted.mapPartitionsWithIndex(
                                (index, it) -> {
                                    List<Tuple2<Integer, MassBin>> out = new ArrayList<>();
                                    long offset = offsets[index];
                                    int cut = 0;
                                    Tuple2<Integer, float[]> pending =
                                            it.hasNext() ? it.next() : null;
                                    while (pending != null) {
                                        int key = pending._1();
                                        while (cut < bins - 1 && cuts[cut] < offset) {
                                            cut++;
                                        }
                                        long rows = 0;
                                        double label = 0;
                                        while (pending != null && pending._1() == key) {
                                            rows++;
                                            label += pending._2()[0];
                                            pending = it.hasNext() ? it.next() : null;
                                        }
                                        out.add(
                                                new Tuple2<>(
                                                        cut,
                                                        new MassBin(
                                                                rows,
                                                                rows * (double) scoreOf(key),
                                                                label,
                                                                key,
                                                                key)));
                                        offset += rows;
                                    }
                                    return out.iterator();
                                },
                                true)
                        .mapToPair(t -> t)
                        .reduceByKey(MassBin::plus)
                        .sortByKey()
                        .collect();
        List<CalibrationBin> out = new ArrayList<>();
        for (Tuple2<Integer, MassBin> t : perBin) {
            MassBin m = t._2();
            out.add(
                    new CalibrationBin(
                            scoreOf(m.firstKey()),
                            scoreOf(m.lastKey()),
                            m.rows(),
                            m.predicted() / m.rows(),
                            m.label() / m.rows()));
        }
        return out;
    }

    private static CalibrationTable table(
            Binning binning, int bins, long n, List<CalibrationBin> list) {
        double ece = 0;
        double max = 0;
        for (CalibrationBin b : list) {
            if (b.rows() > 0) {
                double gap = Math.abs(b.meanPredicted() - b.observedRate());
                ece += (double) b.rows() / n * gap;
                max = Math.max(max, gap);
            }
        }
        return new CalibrationTable(binning, bins, list, ece, max);
    }

    /** Partial sums over groups, as GroupMetrics adds them. */
    record GroupSums(
            long groups,
            double weightedAuc,
            long gaucGroups,
            long skipped,
            long weight,
            double recall,
            double ndcg,
            long rankingGroups,
            long withoutPositives)
            implements Serializable {
        GroupSums plus(GroupSums o) {
            return new GroupSums(
                    groups + o.groups,
                    weightedAuc + o.weightedAuc,
                    gaucGroups + o.gaucGroups,
                    skipped + o.skipped,
                    weight + o.weight,
                    recall + o.recall,
                    ndcg + o.ndcg,
                    rankingGroups + o.rankingGroups,
                    withoutPositives + o.withoutPositives);
        }

        static GroupSums of(GroupReport g) {
            return new GroupSums(
                    g.groups(),
                    g.gaucGroups() > 0 ? g.gauc() * g.gaucWeight() : 0,
                    g.gaucGroups(),
                    g.skippedOneClass(),
                    g.gaucWeight(),
                    g.rankingGroups() > 0 ? g.recallAtK() * g.rankingGroups() : 0,
                    g.rankingGroups() > 0 ? g.ndcgAtK() * g.rankingGroups() : 0,
                    g.rankingGroups(),
                    g.groupsWithoutPositives());
        }
    }

    private static GroupReport groups(
            JavaRDD<Rec> recs, EvaluationSpace space, int k, int partitions, String what) {
        GroupSums zero = new GroupSums(0, 0, 0, 0, 0, 0, 0, 0, 0);
        GroupSums total =
                recs.filter(r -> inSpace(space, r.flags()))
                        .mapToPair(
                                r ->
                                        new Tuple2<>(
                                                r.group(),
                                                new float[] {score(space, r), label(space, r)}))
                        .repartitionAndSortWithinPartitions(
                                new org.apache.spark.HashPartitioner(partitions))
                        .mapPartitions(
                                it -> {
                                    GroupSums sums = zero;
                                    Tuple2<Long, float[]> pending = it.hasNext() ? it.next() : null;
                                    float[] scores = new float[16];
                                    int[] labels = new int[16];
                                    while (pending != null) {
                                        long g = pending._1();
                                        int m = 0;
                                        while (pending != null && pending._1() == g) {
                                            if (m == scores.length) {
                                                scores = Arrays.copyOf(scores, 2 * m);
                                                labels = Arrays.copyOf(labels, 2 * m);
                                            }
                                            scores[m] = pending._2()[0];
                                            labels[m] = (int) pending._2()[1];
                                            m++;
                                            pending = it.hasNext() ? it.next() : null;
                                        }
                                        sums =
                                                sums.plus(
                                                        GroupSums.of(
                                                                GroupMetrics.compute(
                                                                        new long[m],
                                                                        Arrays.copyOf(scores, m),
                                                                        Arrays.copyOf(labels, m),
                                                                        k)));
                                    }
                                    return List.of(sums).iterator();
                                })
                        .fold(zero, GroupSums::plus);
        return new GroupReport(
                total.groups(),
                total.gaucGroups() == 0 ? Double.NaN : total.weightedAuc() / total.weight(),
                total.gaucGroups(),
                total.skipped(),
                total.weight(),
                k,
                total.rankingGroups() == 0 ? Double.NaN : total.recall() / total.rankingGroups(),
                total.rankingGroups() == 0 ? Double.NaN : total.ndcg() / total.rankingGroups(),
                total.rankingGroups(),
                total.withoutPositives());
    }
}
