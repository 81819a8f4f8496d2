package org.causalcvr.metrics;

import org.causalcvr.api.DataException;

/**
 * Mean negative log-likelihood (binary cross-entropy) of predicted probabilities,
 *
 * <pre>
 *   LogLoss = (1/n) Σ_i [ −y_i log p̃_i − (1 − y_i) log(1 − p̃_i) ],   p̃_i = clamp(p_i, ε, 1 − ε),
 * </pre>
 *
 * with {@code y_i} a 0/1 label or, for {@link #soft}, a true probability in [0, 1]. With {@code y =
 * r} over the exposure space D this is the paper's prediction inaccuracy P (eq. 1); with {@code y =
 * true CVR} it is the expectation of P over labels drawn {@code r ~ Bernoulli(true CVR)}. The clamp
 * keeps a confident wrong prediction finite; it is computed in double precision.
 */
public final class LogLoss {
    /** The default clamp ε. */
    public static final double DEFAULT_EPSILON = 1e-7;

    private LogLoss() {}

    /** Mean log loss of {@code predictions} against 0/1 {@code labels}, clamped at ε = 1e-7. */
    public static double binary(float[] predictions, int[] labels) {
        return binary(predictions, labels, DEFAULT_EPSILON);
    }

    /** Mean log loss of {@code predictions} against 0/1 {@code labels}, clamped at {@code eps}. */
    public static double binary(float[] predictions, int[] labels, double eps) {
        Auc.requireSameLength(predictions.length, labels.length, "predictions");
        requireRows(predictions.length);
        double sum = 0;
        for (int i = 0; i < predictions.length; i++) {
            if ((labels[i] & ~1) != 0) {
                throw new DataException(
                        "labels, row " + i + ": label " + labels[i] + " is not 0 or 1");
            }
            sum += term(predictions[i], labels[i], eps, i);
        }
        return sum / predictions.length;
    }

    /** Mean cross-entropy of {@code predictions} against true probabilities {@code truth}. */
    public static double soft(float[] predictions, float[] truth) {
        return soft(predictions, truth, DEFAULT_EPSILON);
    }

    /** Mean cross-entropy against true probabilities, clamped at {@code eps}. */
    public static double soft(float[] predictions, float[] truth, double eps) {
        Auc.requireSameLength(predictions.length, truth.length, "predictions");
        requireRows(predictions.length);
        double sum = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (!(truth[i] >= 0f && truth[i] <= 1f)) {
                throw new DataException(
                        "truth, row " + i + ": probability " + truth[i] + " is outside [0, 1]");
            }
            sum += term(predictions[i], truth[i], eps, i);
        }
        return sum / predictions.length;
    }

    /** One row's clamped cross-entropy. */
    static double term(float prediction, double y, double eps, long row) {
        if (!(prediction >= 0f && prediction <= 1f)) {
            throw new DataException(
                    "predictions, row " + row + ": " + prediction + " is not a probability");
        }
        double p = Math.min(Math.max(prediction, eps), 1 - eps);
        double loss = 0;
        if (y > 0) {
            loss -= y * Math.log(p);
        }
        if (y < 1) {
            loss -= (1 - y) * Math.log1p(-p);
        }
        return loss;
    }

    private static void requireRows(int n) {
        if (n == 0) {
            throw new UndefinedMetricException("Log loss is undefined over zero rows");
        }
    }
}
