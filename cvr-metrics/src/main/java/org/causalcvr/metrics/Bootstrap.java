package org.causalcvr.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.causalcvr.api.DataException;

/**
 * Percentile bootstrap confidence intervals, reproducible from a seed.
 *
 * <p>Each replicate draws row indices with replacement ({@link SplittableRandom} seeded with {@code
 * seed}), evaluates the statistic on them, and the interval is the {@code (1 − c)/2} and {@code (1
 * + c)/2} quantiles of the replicate values (Commons Math {@link Percentile}, estimation type R-7,
 * the default of R and NumPy). The same seed gives the same interval.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** A statistic evaluated on a bootstrap sample given by its row indices (with repeats). */
    @FunctionalInterface
    public interface IndexStatistic {
        /** The statistic over rows {@code sample[0], sample[1], ...}; NaN if undefined. */
        double apply(int[] sample);
    }

    /**
     * The percentile interval of any statistic of {@code rows} rows: resamples {@code rows} indices
     * per replicate. Replicates where the statistic is NaN are skipped and counted.
     */
    public static ConfidenceInterval percentileInterval(
            int rows, IndexStatistic statistic, int replicates, double confidence, long seed) {
        ConfidenceInterval.requireConfidence(confidence);
        requireReplicates(replicates);
        int[] all = new int[rows];
        Arrays.setAll(all, i -> i);
        double estimate = statistic.apply(all);
        var random = new SplittableRandom(seed);
        double[] values = new double[replicates];
        int kept = 0;
        int[] sample = new int[rows];
        for (int r = 0; r < replicates; r++) {
            for (int i = 0; i < rows; i++) {
                sample[i] = random.nextInt(rows);
            }
            double v = statistic.apply(sample);
            if (!Double.isNaN(v)) {
                values[kept++] = v;
            }
        }
        return interval(estimate, values, kept, replicates - kept, confidence);
    }

    /**
     * The percentile interval of the AUC, resampling positives and negatives separately (so every
     * replicate keeps n₁ and n₀ and has an AUC). Sorts once, then costs O(n) per replicate.
     */
    public static ConfidenceInterval aucInterval(
            float[] scores, int[] labels, int replicates, double confidence, long seed) {
        ConfidenceInterval.requireConfidence(confidence);
        requireReplicates(replicates);
        Auc.requireSameLength(scores.length, labels.length, "scores");
        int n = scores.length;
        double estimate = Auc.compute(scores, labels);
        long[] records = new long[n];
        int n1 = 0;
        for (int i = 0; i < n; i++) {
            if ((labels[i] & ~1) != 0) {
                throw new DataException(
                        "labels, row " + i + ": label " + labels[i] + " is not 0 or 1");
            }
            n1 += labels[i];
            records[i] = ((long) ScoreKeys.key(scores[i]) << 32) | i;
        }
        int n0 = n - n1;
        PrimitiveSort.sortByHighInt(records, n, new long[n]);
        int[] positiveRows = new int[n1];
        int[] negativeRows = new int[n0];
        for (int i = 0, p = 0, q = 0; i < n; i++) {
            if (labels[i] == 1) {
                positiveRows[p++] = i;
            } else {
                negativeRows[q++] = i;
            }
        }
        var random = new SplittableRandom(seed);
        int[] multiplicity = new int[n];
        double[] values = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            Arrays.fill(multiplicity, 0);
            for (int i = 0; i < n1; i++) {
                multiplicity[positiveRows[random.nextInt(n1)]]++;
            }
            for (int i = 0; i < n0; i++) {
                multiplicity[negativeRows[random.nextInt(n0)]]++;
            }
            values[r] = weightedAuc(records, labels, multiplicity, n1, n0);
        }
        return interval(estimate, values, replicates, 0, confidence);
    }

    /** The AUC with every row counted {@code multiplicity[row]} times. */
    private static double weightedAuc(
            long[] sorted, int[] labels, int[] multiplicity, long n1, long n0) {
        long twiceU = 0;
        long negativesBelow = 0;
        int n = sorted.length;
        int i = 0;
        while (i < n) {
            int key = (int) (sorted[i] >>> 32);
            long pos = 0;
            long neg = 0;
            while (i < n && (int) (sorted[i] >>> 32) == key) {
                int row = (int) sorted[i];
                if (labels[row] == 1) {
                    pos += multiplicity[row];
                } else {
                    neg += multiplicity[row];
                }
                i++;
            }
            twiceU += pos * (2 * negativesBelow + neg);
            negativesBelow += neg;
        }
        return twiceU / (2.0 * n1 * n0);
    }

    private static ConfidenceInterval interval(
            double estimate, double[] values, int kept, int skipped, double confidence) {
        if (kept == 0) {
            throw new UndefinedMetricException(
                    "Bootstrap: the statistic was undefined in all " + skipped + " replicates");
        }
        double[] v = Arrays.copyOf(values, kept);
        var percentile = new Percentile().withEstimationType(EstimationType.R_7);
        percentile.setData(v);
        double alpha = 1 - confidence;
        return new ConfidenceInterval(
                estimate,
                percentile.evaluate(100 * alpha / 2),
                percentile.evaluate(100 * (1 - alpha / 2)),
                confidence,
                kept,
                skipped);
    }

    private static void requireReplicates(int replicates) {
        if (replicates < 1) {
            throw new IllegalArgumentException("replicates must be at least 1, got " + replicates);
        }
    }
}
