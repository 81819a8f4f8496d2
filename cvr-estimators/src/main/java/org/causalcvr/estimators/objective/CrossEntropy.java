package org.causalcvr.estimators.objective;

import org.causalcvr.api.ops.Ops;

/**
 * Binary cross-entropy on {@link Ops}, with probabilities clamped so that every value is finite.
 *
 * <p>{@code CE(y, q) = −y·log(q) − (1−y)·log(1−q)} with {@code q} clamped into {@code [ε, 1−ε]},
 * {@code ε = } {@value #EPSILON}, so one row contributes at most {@code −log ε ≈ 16.1}. Labels may
 * be soft ({@code y ∈ [0, 1]}): the pseudo-labels of Heuristic DR and of the imputation tower are.
 * Inside the clamp the gradient is the usual one; outside it is zero.
 */
public final class CrossEntropy {
    /**
     * The clamp on probabilities before logarithms. Large enough that {@code 1 − ε < 1} in float32,
     * which the DJL backend trains in.
     */
    public static final double EPSILON = 1e-7;

    private CrossEntropy() {}

    /** Probabilities from logits: {@code sigmoid(logits)}. */
    public static <T> T probability(Ops<T> ops, T logits) {
        return ops.sigmoid(logits);
    }

    /** The cross-entropy of every row, {@code CE(labels, probabilities)}, clamped as above. */
    public static <T> T perRow(Ops<T> ops, T labels, T probabilities) {
        T q = ops.clamp(probabilities, EPSILON, 1.0 - EPSILON);
        T positive = ops.mul(labels, ops.log(q));
        T negative = ops.mul(ops.oneMinus(labels), ops.log(ops.oneMinus(q)));
        return ops.neg(ops.add(positive, negative));
    }

    /** {@link #perRow} for one row on plain doubles (same clamp). */
    public static double of(double label, double probability) {
        double q = Math.min(Math.max(probability, EPSILON), 1.0 - EPSILON);
        return -(label * Math.log(q) + (1.0 - label) * Math.log(1.0 - q));
    }
}
