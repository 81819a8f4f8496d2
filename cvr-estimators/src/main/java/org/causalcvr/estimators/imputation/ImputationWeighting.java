package org.causalcvr.estimators.imputation;

import org.causalcvr.api.ops.Ops;

/**
 * The per-click weight w(p̂) of an imputation loss (1/|D|) Σ_D o·w(p̂)·(e − ê)². Written in terms
 * of the guarded inverse propensity v = 1/p̂, so that every weight is a polynomial in v:
 *
 * <ul>
 *   <li>{@link #doublyRobust()}: w = 1/p̂ = v (Wang et al. 2019; Multi-DR, ESCM²-DR, DR-V2);
 *   <li>{@link #moreRobust()}: w = (1 − p̂)/p̂² = v·(v − 1) (MRDR, Guo et al., SIGIR 2021): the
 *       expectation over clicks of Σ o·(1−p)/p²·(e − ê)² is |D|² times the variance of the DR
 *       estimate when p̂ = p, so the fitted ê minimises that variance;
 *   <li>{@link #bias()}: w = (1 − p̂)²/p̂³ = v·(v − 1)² (DR-BIAS, Dai et al., KDD 2022): the
 *       squared bias term of DR under a misspecified p̂;
 *   <li>{@link #meanSquaredError(double)}: w = γ·(1 − p̂)²/p̂³ + (1 − γ)·(1 − p̂)/p̂² (DR-MSE, Dai
 *       et al.): bias and variance traded by γ.
 * </ul>
 *
 * <p>The weighting is a parameter of {@link
 * org.causalcvr.estimators.objective.ImputationLossObjective}; it changes which ê is fitted, never
 * the DR estimate's form, so every weighting keeps DR doubly robust.
 *
 * @param name a short name, for objective names
 * @param biasShare γ: the share of the DR-BIAS weight
 * @param varianceShare the share of the MRDR weight
 * @param plainShare the share of the plain 1/p̂ weight
 */
public record ImputationWeighting(
        String name, double biasShare, double varianceShare, double plainShare) {

    public ImputationWeighting {
        for (double share : new double[] {biasShare, varianceShare, plainShare}) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException(
                        "imputation weighting '" + name + "': share " + share + " outside [0, 1]");
            }
        }
    }

    /** w = 1/p̂. */
    public static ImputationWeighting doublyRobust() {
        return new ImputationWeighting("dr", 0, 0, 1);
    }

    /** w = (1 − p̂)/p̂². */
    public static ImputationWeighting moreRobust() {
        return new ImputationWeighting("mrdr", 0, 1, 0);
    }

    /** w = (1 − p̂)²/p̂³. */
    public static ImputationWeighting bias() {
        return new ImputationWeighting("dr-bias", 1, 0, 0);
    }

    /**
     * w = γ·(1 − p̂)²/p̂³ + (1 − γ)·(1 − p̂)/p̂².
     *
     * @param gamma γ in [0, 1]
     */
    public static ImputationWeighting meanSquaredError(double gamma) {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("DR-MSE gamma " + gamma + " is outside [0, 1]");
        }
        return new ImputationWeighting("dr-mse", gamma, 1 - gamma, 0);
    }

    /** Whether this is the plain w = 1/p̂ of Wang et al. (Multi-DR's, Joint Learning DR's). */
    public boolean isPlain() {
        return plainShare == 1 && varianceShare == 0 && biasShare == 0;
    }

    /**
     * w of every row, from the (guarded) inverse propensity v = 1/p̂ of every row. Only the parts
     * with a share above 0 are computed, so a large v whose higher powers overflow cannot turn a
     * zero share into NaN, and the plain weighting is exactly v.
     */
    public <T> T weight(Ops<T> ops, T inversePropensity) {
        T v = inversePropensity;
        T odds = ops.addScalar(v, -1.0); // (1 − p̂)/p̂
        T variance = ops.mul(v, odds);
        T w = ops.mulScalar(v, plainShare);
        if (varianceShare > 0) {
            w = ops.add(w, ops.mulScalar(variance, varianceShare));
        }
        if (biasShare > 0) {
            w = ops.add(w, ops.mulScalar(ops.mul(variance, odds), biasShare));
        }
        return w;
    }

    /** w for one p̂ on plain doubles (for tests and reports). */
    public double weight(double propensity) {
        double v = 1.0 / propensity;
        return plainShare * v + varianceShare * v * (v - 1) + biasShare * v * (v - 1) * (v - 1);
    }
}
