package org.causalcvr.metrics;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.causalcvr.api.DataException;

/**
 * DeLong, DeLong and Clarke-Pearson (1988): the variance of an AUC and the test of two correlated
 * AUCs through structural components.
 *
 * <p>With m positives X_i and n negatives Y_j, ψ(x, y) = 1 if x &gt; y, ½ if x = y, 0 otherwise:
 *
 * <pre>
 *   V10(X_i) = (1/n) Σ_j ψ(X_i, Y_j),      V01(Y_j) = (1/m) Σ_i ψ(X_i, Y_j),
 *   AUC = mean_i V10(X_i) = mean_j V01(Y_j),
 *   S10[a,b] = (1/(m−1)) Σ_i (V10_a(X_i) − AUC_a)(V10_b(X_i) − AUC_b),   S01 likewise over j with n−1,
 *   S = S10 / m + S01 / n,
 *   z = (AUC_A − AUC_B) / sqrt(S[A,A] + S[B,B] − 2 S[A,B]),   p = 2 (1 − Φ(|z|)).
 * </pre>
 *
 * The components are computed in O(n log n) from one sort per model (ties by midrank), not from the
 * m·n pairs.
 */
public final class DeLong {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private DeLong() {}

    /**
     * DeLong's two-sided test of AUC(scoresA) = AUC(scoresB) on the same {@code labels}.
     *
     * @throws UndefinedMetricException with fewer than two positives or two negatives
     */
    public static DeLongResult compare(float[] scoresA, float[] scoresB, int[] labels) {
        Auc.requireSameLength(scoresA.length, labels.length, "scores A");
        Auc.requireSameLength(scoresB.length, labels.length, "scores B");
        int m = countPositives(labels);
        int n = labels.length - m;
        double[] a = components(scoresA, labels, m, n, "scores A");
        double[] b = components(scoresB, labels, m, n, "scores B");
        double aucA = meanOver(a, labels, 1);
        double aucB = meanOver(b, labels, 1);
        double varA = variance(a, a, aucA, aucA, labels, m, n);
        double varB = variance(b, b, aucB, aucB, labels, m, n);
        double cov = variance(a, b, aucA, aucB, labels, m, n);
        double se = Math.sqrt(Math.max(0, varA + varB - 2 * cov));
        double z;
        double p;
        if (se == 0) {
            // Identical rankings: no evidence of a difference (a zero difference over zero error).
            z = aucA == aucB ? 0 : Math.copySign(Double.POSITIVE_INFINITY, aucA - aucB);
            p = aucA == aucB ? 1 : 0;
        } else {
            z = (aucA - aucB) / se;
            p = 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z));
        }
        return new DeLongResult(aucA, aucB, varA, varB, cov, z, p, m, n);
    }

    /** DeLong's variance of the AUC of {@code scores} against {@code labels}. */
    public static double variance(float[] scores, int[] labels) {
        Auc.requireSameLength(scores.length, labels.length, "scores");
        int m = countPositives(labels);
        int n = labels.length - m;
        double[] v = components(scores, labels, m, n, "scores");
        double auc = meanOver(v, labels, 1);
        return variance(v, v, auc, auc, labels, m, n);
    }

    /**
     * The normal-approximation confidence interval {@code AUC ± z_{1−α/2} · sqrt(DeLong variance)},
     * clipped to [0, 1].
     */
    public static ConfidenceInterval interval(float[] scores, int[] labels, double confidence) {
        ConfidenceInterval.requireConfidence(confidence);
        double auc = Auc.compute(scores, labels);
        double half =
                STANDARD_NORMAL.inverseCumulativeProbability(0.5 + confidence / 2)
                        * Math.sqrt(variance(scores, labels));
        return new ConfidenceInterval(
                auc, Math.max(0, auc - half), Math.min(1, auc + half), confidence, 0, 0);
    }

    /**
     * The structural component of every row: V10 for a positive row, V01 for a negative row, from
     * one sort of the scores.
     */
    static double[] components(float[] scores, int[] labels, int m, int n, String what) {
        int rows = scores.length;
        long[] records = new long[rows];
        for (int i = 0; i < rows; i++) {
            ScoreKeys.requireNumber(scores[i], what, i);
            records[i] = ((long) ScoreKeys.key(scores[i]) << 32) | i;
        }
        PrimitiveSort.sortByHighInt(records, rows, new long[rows]);
        double[] v = new double[rows];
        long negativesBelow = 0;
        long positivesBelow = 0;
        int i = 0;
        while (i < rows) {
            int key = (int) (records[i] >>> 32);
            int end = i;
            int pos = 0;
            while (end < rows && (int) (records[end] >>> 32) == key) {
                pos += labels[(int) records[end]];
                end++;
            }
            int neg = end - i - pos;
            double v10 = (negativesBelow + 0.5 * neg) / n;
            double v01 = (m - positivesBelow - pos + 0.5 * pos) / m;
            for (int r = i; r < end; r++) {
                int row = (int) records[r];
                v[row] = labels[row] == 1 ? v10 : v01;
            }
            negativesBelow += neg;
            positivesBelow += pos;
            i = end;
        }
        return v;
    }

    private static double meanOver(double[] v, int[] labels, int label) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < v.length; i++) {
            if (labels[i] == label) {
                sum += v[i];
                count++;
            }
        }
        return sum / count;
    }

    private static double variance(
            double[] a, double[] b, double aucA, double aucB, int[] labels, int m, int n) {
        double s10 = 0;
        double s01 = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1) {
                s10 += (a[i] - aucA) * (b[i] - aucB);
            } else {
                // V01 has mean AUC as well: Σ_j V01(Y_j) / n = U / (m n).
                s01 += (a[i] - aucA) * (b[i] - aucB);
            }
        }
        return s10 / (m - 1) / m + s01 / (n - 1) / n;
    }

    private static int countPositives(int[] labels) {
        int m = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & ~1) != 0) {
                throw new DataException(
                        "labels, row " + i + ": label " + labels[i] + " is not 0 or 1");
            }
            m += labels[i];
        }
        int n = labels.length - m;
        if (m < 2 || n < 2) {
            throw new UndefinedMetricException(
                    "DeLong's variance needs at least two positive and two negative rows, got "
                            + m
                            + " and "
                            + n);
        }
        return m;
    }
}
