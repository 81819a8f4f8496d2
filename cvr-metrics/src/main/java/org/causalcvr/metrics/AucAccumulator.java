package org.causalcvr.metrics;

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
 * <p>Memory: 4 bytes per score held (one growable {@code int} array of order-preserving keys,
 * positives filled from the front and negatives from the back, so a capacity given up front is used
 * exactly whatever the class balance), plus a radix-sort scratch buffer of {@code max(n₁, n₀)} ints
 * while {@link #auc()} runs. Time: O(n) to sort (LSD radix) and O(n) to count. Not thread-safe.
 */
public final class AucAccumulator {
    private int[] keys;
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
     * count when known: growth by half copies the array).
     */
    public AucAccumulator(String description, int expectedRows) {
        if (expectedRows < 0) {
            throw new IllegalArgumentException("expectedRows must be >= 0, got " + expectedRows);
        }
        this.description = description;
        this.keys = new int[Math.max(16, expectedRows)];
    }

    /** Adds one scored row. */
    public void add(float score, boolean positive) {
        ScoreKeys.requireNumber(score, description, (long) positiveCount + negativeCount);
        if (positiveCount + negativeCount == keys.length) {
            grow();
        }
        int key = ScoreKeys.key(score);
        if (positive) {
            keys[positiveCount++] = key;
        } else {
            keys[keys.length - ++negativeCount] = key;
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
        return (double)
                        twiceMannWhitney(
                                keys,
                                0,
                                positiveCount,
                                keys,
                                keys.length - negativeCount,
                                negativeCount)
                / (2.0 * positiveCount * negativeCount);
    }

    /** Sorts the held keys in place (idempotent); later additions are allowed. */
    void sort() {
        if (sorted) {
            return;
        }
        int[] scratch = new int[Math.max(positiveCount, negativeCount)];
        PrimitiveSort.sortInts(keys, 0, positiveCount, scratch);
        PrimitiveSort.sortInts(keys, keys.length - negativeCount, keys.length, scratch);
        sorted = true;
    }

    /**
     * 2U, where U counts the (positive, negative) pairs in which the positive scores higher, ties
     * half; exact in a long for up to 2³¹ rows per class. Both key arrays must be sorted.
     */
    static long twiceMannWhitney(int[] pos, int n1, int[] neg, int n0) {
        return twiceMannWhitney(pos, 0, n1, neg, 0, n0);
    }

    /**
     * As above, with the positives at {@code pos[p0, p0 + n1)}, negatives at {@code neg[q0, q0 +
     * n0)}.
     */
    static long twiceMannWhitney(int[] pos, int p0, int n1, int[] neg, int q0, int n0) {
        long twiceU = 0;
        int j = q0;
        int i = p0;
        n1 += p0;
        n0 += q0;
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
            twiceU += (long) (end - i) * (2L * (j - q0) + (tieEnd - j));
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

    private void grow() {
        long next = Math.min((long) keys.length + (keys.length >> 1) + 16, Integer.MAX_VALUE - 8);
        if (next <= keys.length) {
            throw new UndefinedMetricException(
                    "AUC accumulator for " + description + " is full at " + keys.length + " rows");
        }
        int[] grown = new int[(int) next];
        System.arraycopy(keys, 0, grown, 0, positiveCount);
        System.arraycopy(
                keys,
                keys.length - negativeCount,
                grown,
                grown.length - negativeCount,
                negativeCount);
        keys = grown;
    }
}
