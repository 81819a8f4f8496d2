package org.causalcvr.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Tells whether a trained run collapsed, so that an experiment reports it as failed instead of
 * averaging it into a table: a model whose predictions on the test rows are constant ranks nothing
 * (its AUC is exactly 0.5 whatever it learnt), and a validation AUC of exactly 0.5 is the same
 * symptom seen during training.
 *
 * <p>A run fails when
 *
 * <ul>
 *   <li>any test prediction is NaN or infinite, or
 *   <li>{@code max − min} of its test predictions is below {@link #CONSTANT_SPREAD}, or
 *   <li>its validation AUC, when there is one, is exactly 0.5.
 * </ul>
 *
 * Backend-neutral: it reads predictions as plain arrays.
 */
public final class CollapseCheck {
    /** Predictions spread less than this (max − min) count as constant. */
    public static final double CONSTANT_SPREAD = 1e-7;

    /**
     * The verdict on one run.
     *
     * @param failed whether the run collapsed
     * @param reasons one line per symptom found, empty when the run is healthy
     */
    public record Verdict(boolean failed, List<String> reasons) {
        public Verdict {
            reasons = List.copyOf(reasons);
        }

        /** The reasons joined by "; " (empty for a healthy run). */
        public String message() {
            return String.join("; ", reasons);
        }
    }

    private CollapseCheck() {}

    /** The verdict on a run's test predictions and, if present, its validation AUC. */
    public static Verdict check(float[] testPredictions, OptionalDouble validationAuc) {
        var reasons = new ArrayList<String>();
        predictionProblem(testPredictions).ifPresent(reasons::add);
        if (validationAuc.isPresent() && validationAuc.getAsDouble() == 0.5) {
            reasons.add("validation AUC is exactly 0.5 (the model ranks nothing)");
        }
        return new Verdict(!reasons.isEmpty(), reasons);
    }

    /** The verdict on a run's test predictions alone. */
    public static Verdict check(float[] testPredictions) {
        return check(testPredictions, OptionalDouble.empty());
    }

    private static java.util.Optional<String> predictionProblem(float[] p) {
        if (p.length == 0) {
            return java.util.Optional.of("no test predictions");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            if (!Float.isFinite(p[i])) {
                return java.util.Optional.of("test prediction of row " + i + " is " + p[i]);
            }
            min = Math.min(min, p[i]);
            max = Math.max(max, p[i]);
        }
        if (max - min < CONSTANT_SPREAD) {
            return java.util.Optional.of(
                    String.format(
                            Locale.ROOT,
                            "constant test predictions: all %d rows in [%.9g, %.9g]",
                            p.length,
                            min,
                            max));
        }
        return java.util.Optional.empty();
    }
}
