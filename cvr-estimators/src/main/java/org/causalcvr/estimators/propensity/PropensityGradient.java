package org.causalcvr.estimators.propensity;

/**
 * Whether the inverse-propensity weight passes gradients into the CTR tower ({@code
 * propensity-gradient}).
 */
public enum PropensityGradient {
    /** The weight 1/p̂ is a constant to the optimiser; the CTR tower learns from CE(o, p̂) only. */
    DETACHED,
    /** Gradients of o·e/p̂ flow into p̂ (and so into the CTR tower and the shared embeddings). */
    ATTACHED
}
