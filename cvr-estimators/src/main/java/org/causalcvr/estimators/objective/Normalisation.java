package org.causalcvr.estimators.objective;

/**
 * How inverse-propensity-weighted sums are normalised.
 *
 * <p>Written in configuration as {@code exposure-count} and {@code self-normalised}.
 */
public enum Normalisation {
    /**
     * Divide by the number of exposures |D| in the batch (paper eqs. 4, 6, 8, 10): unbiased when p̂
     * = p (Theorem 1), but with a variance that grows with the largest weight.
     */
    EXPOSURE_COUNT,
    /**
     * SNIPS (Swaminathan and Joachims, cited in the paper's section 3.4): divide the weighted sum
     * by Σ o/p̂ instead of |D|. Biased for a finite batch, but consistent (the bias shrinks as the
     * batch grows), and invariant to a constant factor in p̂.
     */
    SELF_NORMALISED
}
