package org.causalcvr.metrics;

import java.util.Arrays;

/**
 * Collects (score, binary label) pairs batch by batch and computes the exact, global AUC at the
 * end: all pairs of the whole stream are compared, never per-batch AUCs averaged.
 *
 * <p>The AUC is the Mann-Whitney statistic normalised by the number of pairs,
 *
 * <pre>
 *   AUC = (1 / (n₁ n₀)) Σ_{i: y_i=1} Σ_{j: y_j=0} [ 1(s_i &gt; s_j) + ½ 1(s_i = s_j) ],
 * </pre>
 *
 * the probability that a random positive outranks a random negative, ties counting half. Scores
 * compare as {@code float}s ({@code -0.0f} ties with {@code 0.0f}); NaN scores are refused.
 *
 * <p>Memory: 4 bytes per score held (positives and negatives in two growable {@code int} arrays of
 * order-preserving keys), plus a radix-sort scratch buffer of {@code max(n₁, n₀)} ints while {@link
 * #auc()} runs. Time: O(n) to sort (LSD radix) and O(n) to count. Not thread-safe.
 */
public final class AucAccumulator {
    private int[] positives;
    private int[] negatives;
    private int positiveCount;
    private int negativeCount;
    private boolean sorted = true;
    private final String description;

    /** An empty accumulator; {@code description} names the data in error messages. */
    public AucAccumulator(String description) {
        this(description, 1_024);
    }

    /**
     * An empty accumulator with room for {@code expectedRows} scores before it grows (pass the row
     * count when known: growth by half copies the arrays).
     */
    public AucAccumulator(String description, int expectedRows) {
        if (expectedRows < 0) {
            throw new IllegalArgumentException("expectedRows must be >= 0, got " + expectedRows);
        }
        this.description = description;
        int initial = Math.max(16, expectedRows / 2);
        this.positives = new int[Math.min(initial, 1 << 16)];
        this.negatives = new int[initial];
    }

    /** Adds one scored row. */
    public void add(float score, boolean positive) {
        ScoreKeys.requireNumber(score, description, (long) positiveCount + negativeCount);
        int key = ScoreKeys.key(score);
        if (positive) {
            if (positiveCount == positives.length) {
                positives = grow(positives);
            }
            positives[positiveCount++] = key;
        } else {
            if (negativeCount == negatives.length) {
                negatives = grow(negatives);
            }
            negatives[negativeCount++] = key;
        }
        sorted = false;
    }

    /**
     * Adds {@code scores[i]} with label {@code labels[i]} for every {@code i}; labels are 0 or 1.
     *
     * @throws org.causalcvr.api.DataException for a label other than 0 or 1 or a NaN score, naming
     *     the row
     */
    public void add(float[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(
                    description
                            + ": "
                            + scores.length
                            + " scores but "
                            + labels.length
                            + " labels");
        }
        for (int i = 0; i < scores.length; i++) {
            int label = labels[i];
            if ((label & ~1) != 0) {
                throw new org.causalcvr.api.DataException(
                        description
                                + ", row "
                                + ((long) positiveCount + negativeCount)
                                + ": label "
                                + label
                                + " is not 0 or 1");
            }
            add(scores[i], label == 1);
        }
    }

    /** Number of positive rows added. */
    public long positives() {
        return positiveCount;
    }

    /** Number of negative rows added. */
    public long negatives() {
        return negativeCount;
    }

    /** The exact AUC; throws {@link UndefinedMetricException} if only one class was added. */
    public double auc() {
        return auc(OneClassPolicy.ERROR);
    }

    /** The exact AUC, or per {@code policy} when only one class was added. */
    public double auc(OneClassPolicy policy) {
        if (positiveCount == 0 || negativeCount == 0) {
            return oneClass(description, positiveCount, negativeCount, policy);
        }
        sort();
        return (double) twiceMannWhitney(positives, positiveCount, negatives, negativeCount)
                / (2.0 * positiveCount * negativeCount);
    }

    /** Sorts the held keys in place (idempotent); later additions are allowed. */
    void sort() {
        if (sorted) {
            return;
        }
        int[] scratch = new int[Math.max(positiveCount, negativeCount)];
        PrimitiveSort.sortInts(positives, positiveCount, scratch);
        PrimitiveSort.sortInts(negatives, negativeCount, scratch);
        sorted = true;
    }

    int[] positiveKeys() {
        return positives;
    }

    int[] negativeKeys() {
        return negatives;
    }

    /**
     * 2U, where U counts the (positive, negative) pairs in which the positive scores higher, ties
     * half; exact in a long for up to 2³¹ rows per class. Both key arrays must be sorted.
     */
    static long twiceMannWhitney(int[] pos, int n1, int[] neg, int n0) {
        long twiceU = 0;
        int j = 0;
        int i = 0;
        while (i < n1) {
            int value = pos[i];
            int end = i + 1;
            while (end < n1 && pos[end] == value) {
                end++;
            }
            while (j < n0 && neg[j] < value) {
                j++;
            }
            int tieEnd = j;
            while (tieEnd < n0 && neg[tieEnd] == value) {
                tieEnd++;
            }
            twiceU += (long) (end - i) * (2L * j + (tieEnd - j));
            i = end;
        }
        return twiceU;
    }

    static double oneClass(String description, long positives, long negatives, OneClassPolicy p) {
        if (p == OneClassPolicy.NAN) {
            return Double.NaN;
        }
        throw new UndefinedMetricException(
                "AUC is undefined for "
                        + description
                        + ": it needs both classes, got "
                        + positives
                        + " positive and "
                        + negatives
                        + " negative rows");
    }

    private static int[] grow(int[] a) {
        long next = Math.min((long) a.length + (a.length >> 1) + 16, Integer.MAX_VALUE - 8);
        if (next <= a.length) {
            throw new UndefinedMetricException(
                    "AUC accumulator is full: more than " + a.length + " rows of one class");
        }
        return Arrays.copyOf(a, (int) next);
    }
}
