package org.causalcvr.metrics;

import org.causalcvr.api.DataException;

/**
 * Exact area under the ROC curve over a whole data set.
 *
 * <h2>Binary labels</h2>
 *
 * <pre>
 *   AUC = U / (n₁ n₀),   U = Σ_{i: y_i=1} Σ_{j: y_j=0} [ 1(s_i &gt; s_j) + ½ 1(s_i = s_j) ]
 * </pre>
 *
 * (the Mann-Whitney statistic; equal to scikit-learn's {@code roc_auc_score} and to the trapezoidal
 * area under the ROC curve with one point per distinct score). Computed in O(n) after an O(n) radix
 * sort of 32-bit order-preserving keys, with 4 bytes per row plus a scratch buffer of {@code
 * max(n₁, n₀)} ints; no boxing.
 *
 * <h2>Soft labels (true probabilities)</h2>
 *
 * When every row carries a true probability {@code q_i} of being positive instead of a label,
 * {@link #soft(float[], float[])} returns
 *
 * <pre>
 *   AUC_soft = Σ_{i≠j} q_i (1 − q_j) H(s_i − s_j) / Σ_{i≠j} q_i (1 − q_j),
 *   H(x) = 1 (x &gt; 0), ½ (x = 0), 0 (x &lt; 0),
 * </pre>
 *
 * the ratio of the expectations of U and of n₁n₀ when labels are drawn {@code y_i ~ Bernoulli(q_i)}
 * independently. It tends to the expected AUC of the drawn labels as n grows, and for 0/1
 * probabilities it equals the binary AUC exactly.
 */
public final class Auc {
    private Auc() {}

    /**
     * The exact AUC of {@code scores} against 0/1 {@code labels}.
     *
     * @throws UndefinedMetricException if the labels hold one class only
     * @throws DataException for a label other than 0 or 1 or a NaN score, naming the row
     */
    public static double compute(float[] scores, int[] labels) {
        return compute(scores, labels, OneClassPolicy.ERROR);
    }

    /** As {@link #compute(float[], int[])}, with {@code policy} deciding the one-class case. */
    public static double compute(float[] scores, int[] labels, OneClassPolicy policy) {
        return compute(scores, labels, policy, "scores");
    }

    /**
     * As {@link #compute(float[], int[], OneClassPolicy)}; {@code what} names the data in errors.
     */
    public static double compute(float[] scores, int[] labels, OneClassPolicy policy, String what) {
        requireSameLength(scores.length, labels.length, what);
        int n1 = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & ~1) != 0) {
                throw new DataException(
                        what + ", row " + i + ": label " + labels[i] + " is not 0 or 1");
            }
            n1 += labels[i];
        }
        int n0 = labels.length - n1;
        if (n1 == 0 || n0 == 0) {
            return AucAccumulator.oneClass(what, n1, n0, policy);
        }
        int[] pos = new int[n1];
        int[] neg = new int[n0];
        int p = 0;
        int q = 0;
        for (int i = 0; i < scores.length; i++) {
            ScoreKeys.requireNumber(scores[i], what, i);
            int key = ScoreKeys.key(scores[i]);
            if (labels[i] == 1) {
                pos[p++] = key;
            } else {
                neg[q++] = key;
            }
        }
        int[] scratch = new int[Math.max(n1, n0)];
        PrimitiveSort.sortInts(pos, n1, scratch);
        PrimitiveSort.sortInts(neg, n0, scratch);
        scratch = null;
        return (double) AucAccumulator.twiceMannWhitney(pos, n1, neg, n0) / (2.0 * n1 * n0);
    }

    /**
     * The soft AUC of {@code scores} against true probabilities {@code probabilities} in [0, 1]
     * (see the class comment).
     *
     * @throws UndefinedMetricException if every probability is 0 or every one is 1 (no pair has
     *     weight)
     */
    public static double soft(float[] scores, float[] probabilities) {
        return soft(scores, probabilities, OneClassPolicy.ERROR, "scores");
    }

    /** As {@link #soft(float[], float[])}, with {@code policy} for the degenerate case. */
    public static double soft(
            float[] scores, float[] probabilities, OneClassPolicy policy, String what) {
        requireSameLength(scores.length, probabilities.length, what);
        int n = scores.length;
        long[] records = new long[n];
        for (int i = 0; i < n; i++) {
            ScoreKeys.requireNumber(scores[i], what, i);
            float q = probabilities[i];
            if (!(q >= 0f && q <= 1f)) {
                throw new DataException(
                        what + ", row " + i + ": probability " + q + " is outside [0, 1]");
            }
            records[i] =
                    ((long) ScoreKeys.key(scores[i]) << 32)
                            | (Float.floatToRawIntBits(q) & 0xFFFFFFFFL);
        }
        PrimitiveSort.sortByHighInt(records, n, new long[n]);
        return softSorted(records, n, policy, what);
    }

    /**
     * The soft AUC of records sorted by score key (high 32 bits) carrying the probability's float
     * bits in the low 32 bits.
     */
    static double softSorted(long[] records, int n, OneClassPolicy policy, String what) {
        double negativeMassBelow = 0;
        double numerator = 0;
        double positiveMass = 0;
        double selfPairs = 0;
        int i = 0;
        while (i < n) {
            int key = (int) (records[i] >>> 32);
            double groupPositive = 0;
            double groupNegative = 0;
            int end = i;
            while (end < n && (int) (records[end] >>> 32) == key) {
                double q = Float.intBitsToFloat((int) records[end]);
                groupPositive += q;
                groupNegative += 1 - q;
                selfPairs += q * (1 - q);
                end++;
            }
            numerator += groupPositive * (negativeMassBelow + 0.5 * groupNegative);
            negativeMassBelow += groupNegative;
            positiveMass += groupPositive;
            i = end;
        }
        double denominator = positiveMass * negativeMassBelow - selfPairs;
        if (!(denominator > 0)) {
            if (policy == OneClassPolicy.NAN) {
                return Double.NaN;
            }
            throw new UndefinedMetricException(
                    "Soft AUC is undefined for "
                            + what
                            + ": no pair of rows has weight (total positive mass "
                            + positiveMass
                            + ", negative mass "
                            + negativeMassBelow
                            + ")");
        }
        // A row ties with itself: remove its ½ q(1 − q) from the numerator and q(1 − q) below.
        return (numerator - 0.5 * selfPairs) / denominator;
    }

    static void requireSameLength(int scores, int labels, String what) {
        if (scores != labels) {
            throw new IllegalArgumentException(
                    what + ": " + scores + " scores but " + labels + " labels");
        }
    }
}
