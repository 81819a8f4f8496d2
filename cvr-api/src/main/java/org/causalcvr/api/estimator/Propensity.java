package org.causalcvr.api.estimator;

import java.util.Set;
import org.causalcvr.api.ops.Ops;

/**
 * Where the click propensity p̂ = P(o=1 | x) of every exposure comes from, and how it is bounded
 * before it becomes an inverse-propensity weight 1/p̂.
 *
 * <p>Sources the paper needs: the CTR tower that shares embeddings with the CVR tower (Multi-IPW,
 * Multi-DR), a separately trained CTR model (Naive IPW, Joint Learning DR), the true propensity of
 * synthetic data (oracle), and a constant.
 *
 * <p>Contract: the result has one entry per row, each in {@code [τ, 1]} where τ > 0 is the clipping
 * bound, so 1/p̂ is finite; whether gradients flow from the weight into p̂ is the implementation's
 * documented option (the default is that they do not).
 */
public interface Propensity {
    /** A short name, such as {@code ctr-tower} or {@code oracle}. */
    String name();

    /** The towers this propensity reads (empty for oracle or constant). */
    Set<String> towers();

    /** The clipped propensity p̂ of every row. */
    <T> T propensity(Ops<T> ops, ObjectiveInput<T> input);
}
