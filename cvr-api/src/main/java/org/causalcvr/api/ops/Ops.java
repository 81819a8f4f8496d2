package org.causalcvr.api.ops;

/**
 * The small tensor algebra in which every objective is written once.
 *
 * <p>The same objective code runs on DJL {@code NDArray}s with autograd (to train) and on plain
 * {@code double[]} through {@link DoubleOps} (to test its statistics), so the property tests
 * exercise the very formulas that train.
 *
 * <p><b>Shapes.</b> A value of type {@code T} is a vector of per-row values or a scalar. The binary
 * operations are elementwise and broadcast a scalar against a vector; two vectors must have the
 * same length. Reductions ({@link #sum}, {@link #mean}, {@link #min}, {@link #max}) return a
 * scalar.
 *
 * <p><b>Gradients.</b> Every operation is differentiable where its math is, except that {@link
 * #detach} stops gradients and {@link #clamp} has zero gradient outside its bounds. Backends
 * without autograd (such as {@link DoubleOps}) treat {@code detach} as the identity.
 *
 * <p>Implementations must not mutate their arguments.
 *
 * @param <T> the tensor type
 */
public interface Ops<T> {

    /** A scalar holding {@code value}. */
    T scalar(double value);

    /** A vector shaped like {@code like} with every entry {@code value}; no gradient. */
    T full(T like, double value);

    /** {@code a + b}. */
    T add(T a, T b);

    /** {@code a - b}. */
    T sub(T a, T b);

    /** {@code a · b}. */
    T mul(T a, T b);

    /** {@code a / b}. Division by zero follows IEEE 754; objectives clamp denominators first. */
    T div(T a, T b);

    /** Natural logarithm; {@code log(0) = -inf}, so objectives clamp arguments away from 0. */
    T log(T a);

    /** {@code e^a}. */
    T exp(T a);

    /** The logistic function {@code 1 / (1 + e^-a)}. */
    T sigmoid(T a);

    /** {@code |a|}. */
    T abs(T a);

    /** {@code min(max(a, lo), hi)}, elementwise; either bound may be infinite. */
    T clamp(T a, double lo, double hi);

    /** Elementwise {@code condition != 0 ? ifTrue : ifFalse}; gradients flow to the chosen side. */
    T where(T condition, T ifTrue, T ifFalse);

    /** The same values with gradients stopped (stop-gradient). */
    T detach(T a);

    /** The sum of all entries, as a scalar. */
    T sum(T a);

    /** The mean of all entries, as a scalar; NaN for an empty vector. */
    T mean(T a);

    /** The smallest entry, as a scalar. */
    T min(T a);

    /** The largest entry, as a scalar. */
    T max(T a);

    /** Number of entries (1 for a scalar). */
    int size(T a);

    /** The value of a scalar (or of the only entry of a one-entry vector). */
    double value(T scalar);

    // ----- conveniences defined by the operations above -----

    /** {@code -a}. */
    default T neg(T a) {
        return mul(a, scalar(-1.0));
    }

    /** {@code a²}. */
    default T square(T a) {
        return mul(a, a);
    }

    /** {@code 1 - a}. */
    default T oneMinus(T a) {
        return sub(scalar(1.0), a);
    }

    /** {@code a + c}. */
    default T addScalar(T a, double c) {
        return add(a, scalar(c));
    }

    /** {@code a · c}. */
    default T mulScalar(T a, double c) {
        return mul(a, scalar(c));
    }
}
