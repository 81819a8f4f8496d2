package org.causalcvr.backend.djl.model;

/**
 * How the dense (real-valued) fields of a schema enter the towers' input (backend key {@code
 * dense-features}). Each dense value x becomes one input column beside the fields' embeddings:
 *
 * <ul>
 *   <li>{@link #LOG_STANDARDISE} (default): {@code z = (t(x) − μ) / σ} with the signed log {@code
 *       t(x) = sign(x)·log(1 + |x|)}, and μ, σ the mean and standard deviation of t(x) over the
 *       training data. Counts and prices are heavy-tailed: the log bounds the influence of the
 *       largest values, and the standardisation gives every field the same scale at the towers'
 *       first layer, whatever its unit.
 *   <li>{@link #STANDARDISE}: {@code z = (x − μ) / σ} on the raw values (for values already on a
 *       sensible scale, where the log would only bend them).
 *   <li>{@link #OFF}: the dense fields are not read; the network is the one of a schema without
 *       them (byte for byte).
 * </ul>
 *
 * <p>μ and σ are computed once, before the first step, in one pass over the training data in its
 * order (Welford's algorithm in double precision), and stored in {@code model.json}, so that
 * prediction, evaluation and Spark scoring apply the very same transform. A field whose σ is 0 (a
 * constant) gets σ = 1, so it enters as 0. Values must be finite: the data layer refuses NaN and
 * infinities, and the backend refuses one that reaches it, naming the column and row.
 */
public enum DenseTransform {
    LOG_STANDARDISE,
    STANDARDISE,
    OFF;

    /** The transform before standardisation: the signed log or the identity. */
    public double shape(double x) {
        return this == LOG_STANDARDISE ? Math.copySign(StrictMath.log1p(Math.abs(x)), x) : x;
    }
}
