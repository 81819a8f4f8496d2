package org.causalcvr.metrics;

import java.util.Arrays;
import java.util.Locale;
import org.causalcvr.api.DataException;

/**
 * The ROC curve of scores against 0/1 labels, for plotting: one point per distinct score, from (0,
 * 0) (threshold +∞: nothing predicted positive) to (1, 1). Point {@code i} predicts positive every
 * row with score ≥ {@code thresholds[i]}. Tied scores move the curve diagonally, so the trapezoidal
 * {@link #area()} equals the exact AUC with ties counted half.
 *
 * @param falsePositiveRate FPR of every point, non-decreasing
 * @param truePositiveRate TPR of every point, non-decreasing
 * @param thresholds the score threshold of every point ({@code +∞} for the first)
 */
public record RocCurve(double[] falsePositiveRate, double[] truePositiveRate, float[] thresholds) {

    /** The ROC curve of {@code scores} against 0/1 {@code labels}; both classes are required. */
    public static RocCurve of(float[] scores, int[] labels) {
        Auc.requireSameLength(scores.length, labels.length, "scores");
        int n1 = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & ~1) != 0) {
                throw new DataException(
                        "labels, row " + i + ": label " + labels[i] + " is not 0 or 1");
            }
            n1 += labels[i];
        }
        int n = scores.length;
        int n0 = n - n1;
        if (n1 == 0 || n0 == 0) {
            AucAccumulator.oneClass("the ROC curve", n1, n0, OneClassPolicy.ERROR);
        }
        long[] records = new long[n];
        for (int i = 0; i < n; i++) {
            ScoreKeys.requireNumber(scores[i], "scores", i);
            records[i] = ((long) ScoreKeys.key(scores[i]) << 32) | labels[i];
        }
        PrimitiveSort.sortByHighInt(records, n, new long[n]);
        var fpr = new double[n + 1];
        var tpr = new double[n + 1];
        var thr = new float[n + 1];
        thr[0] = Float.POSITIVE_INFINITY;
        int points = 1;
        long tp = 0;
        long fp = 0;
        int i = n - 1;
        while (i >= 0) {
            int key = (int) (records[i] >>> 32);
            while (i >= 0 && (int) (records[i] >>> 32) == key) {
                if ((records[i] & 1) == 1) {
                    tp++;
                } else {
                    fp++;
                }
                i--;
            }
            fpr[points] = (double) fp / n0;
            tpr[points] = (double) tp / n1;
            thr[points] = ScoreKeys.score(key);
            points++;
        }
        return new RocCurve(
                Arrays.copyOf(fpr, points), Arrays.copyOf(tpr, points), Arrays.copyOf(thr, points));
    }

    /** Number of points. */
    public int size() {
        return thresholds.length;
    }

    /** The trapezoidal area under the curve. */
    public double area() {
        double area = 0;
        for (int i = 1; i < thresholds.length; i++) {
            area +=
                    (falsePositiveRate[i] - falsePositiveRate[i - 1])
                            * (truePositiveRate[i] + truePositiveRate[i - 1])
                            / 2;
        }
        return area;
    }

    /**
     * At most {@code maxPoints} points for a plot: the first, the last and points evenly spaced by
     * index between them (at least 2).
     */
    public RocCurve thin(int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2, got " + maxPoints);
        }
        int n = thresholds.length;
        if (n <= maxPoints) {
            return this;
        }
        var f = new double[maxPoints];
        var t = new double[maxPoints];
        var th = new float[maxPoints];
        for (int j = 0; j < maxPoints; j++) {
            int i = (int) Math.round((double) j * (n - 1) / (maxPoints - 1));
            f[j] = falsePositiveRate[i];
            t[j] = truePositiveRate[i];
            th[j] = thresholds[i];
        }
        return new RocCurve(f, t, th);
    }

    /** Tab-separated {@code threshold fpr tpr} lines with a header, for plotting. */
    public String toTsv() {
        var out = new StringBuilder("threshold\tfpr\ttpr\n");
        for (int i = 0; i < thresholds.length; i++) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%.8g\t%.8g\t%.8g%n",
                            thresholds[i],
                            falsePositiveRate[i],
                            truePositiveRate[i]));
        }
        return out.toString();
    }
}
