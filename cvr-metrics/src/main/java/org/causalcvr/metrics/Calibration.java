package org.causalcvr.metrics;

import java.util.ArrayList;
import org.causalcvr.api.DataException;

/**
 * Calibration of predicted probabilities: the {@link CalibrationTable} of predicted versus observed
 * rates and its expected calibration error, in equal-width or equal-mass bins.
 *
 * <p>The observed rate of a bin is the mean 0/1 label ({@link #binary}) or, with ground truth, the
 * mean true probability ({@link #soft}), which measures calibration against the truth rather than
 * against a noisy draw of it.
 */
public final class Calibration {
    private Calibration() {}

    /** Calibration against 0/1 labels. */
    public static CalibrationTable binary(
            float[] predictions, int[] labels, int bins, Binning binning) {
        Auc.requireSameLength(predictions.length, labels.length, "predictions");
        float[] y = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & ~1) != 0) {
                throw new DataException(
                        "labels, row " + i + ": label " + labels[i] + " is not 0 or 1");
            }
            y[i] = labels[i];
        }
        return compute(predictions, y, bins, binning);
    }

    /** Calibration against true probabilities in [0, 1]. */
    public static CalibrationTable soft(
            float[] predictions, float[] truth, int bins, Binning binning) {
        Auc.requireSameLength(predictions.length, truth.length, "predictions");
        for (int i = 0; i < truth.length; i++) {
            if (!(truth[i] >= 0f && truth[i] <= 1f)) {
                throw new DataException(
                        "truth, row " + i + ": probability " + truth[i] + " is outside [0, 1]");
            }
        }
        return compute(predictions, truth, bins, binning);
    }

    private static CalibrationTable compute(
            float[] predictions, float[] y, int binCount, Binning binning) {
        if (binCount < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + binCount);
        }
        int n = predictions.length;
        if (n == 0) {
            throw new UndefinedMetricException("Calibration is undefined over zero rows");
        }
        for (int i = 0; i < n; i++) {
            if (!(predictions[i] >= 0f && predictions[i] <= 1f)) {
                throw new DataException(
                        "predictions, row " + i + ": " + predictions[i] + " is not a probability");
            }
        }
        var bins =
                binning == Binning.EQUAL_WIDTH
                        ? equalWidth(predictions, y, binCount)
                        : equalMass(predictions, y, binCount);
        double ece = 0;
        double max = 0;
        for (CalibrationBin b : bins) {
            if (b.rows() > 0) {
                double gap = Math.abs(b.meanPredicted() - b.observedRate());
                ece += (double) b.rows() / n * gap;
                max = Math.max(max, gap);
            }
        }
        return new CalibrationTable(binning, binCount, bins, ece, max);
    }

    private static ArrayList<CalibrationBin> equalWidth(float[] p, float[] y, int binCount) {
        long[] rows = new long[binCount];
        double[] predSum = new double[binCount];
        double[] ySum = new double[binCount];
        for (int i = 0; i < p.length; i++) {
            int b = Math.min((int) (p[i] * (double) binCount), binCount - 1);
            rows[b]++;
            predSum[b] += p[i];
            ySum[b] += y[i];
        }
        var out = new ArrayList<CalibrationBin>(binCount);
        for (int b = 0; b < binCount; b++) {
            out.add(
                    new CalibrationBin(
                            (double) b / binCount,
                            (double) (b + 1) / binCount,
                            rows[b],
                            rows[b] == 0 ? Double.NaN : predSum[b] / rows[b],
                            rows[b] == 0 ? Double.NaN : ySum[b] / rows[b]));
        }
        return out;
    }

    private static ArrayList<CalibrationBin> equalMass(float[] p, float[] y, int binCount) {
        int n = p.length;
        long[] records = new long[n];
        for (int i = 0; i < n; i++) {
            records[i] =
                    ((long) ScoreKeys.key(p[i]) << 32)
                            | (Float.floatToRawIntBits(y[i]) & 0xFFFFFFFFL);
        }
        PrimitiveSort.sortByHighInt(records, n, new long[n]);
        var out = new ArrayList<CalibrationBin>(binCount);
        int start = 0;
        int b = 1;
        while (start < n) {
            while (b < binCount && (long) n * b / binCount <= start) {
                b++;
            }
            int end = (int) Math.max(start + 1, (long) n * b / binCount);
            // Never split equal predictions: extend to the end of the tie run.
            int lastKey = (int) (records[end - 1] >>> 32);
            while (end < n && (int) (records[end] >>> 32) == lastKey) {
                end++;
            }
            double predSum = 0;
            double ySum = 0;
            for (int i = start; i < end; i++) {
                predSum += ScoreKeys.score((int) (records[i] >>> 32));
                ySum += Float.intBitsToFloat((int) records[i]);
            }
            int rows = end - start;
            out.add(
                    new CalibrationBin(
                            ScoreKeys.score((int) (records[start] >>> 32)),
                            ScoreKeys.score(lastKey),
                            rows,
                            predSum / rows,
                            ySum / rows));
            start = end;
        }
        return out;
    }
}
