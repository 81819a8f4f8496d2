package org.causalcvr.estimators.propensity;

import org.causalcvr.api.ops.Ops;

/**
 * The IPW bound: p̂ is clamped from below before it becomes a weight 1/p̂, at the largest of
 *
 * <ul>
 *   <li>an absolute floor τ ({@code ipw-bound});
 *   <li>τ% of the way from the batch's smallest to its mean propensity, {@code τ = min + τ%/100 ·
 *       (mean − min)} (the paper's section 5.7; {@code ipw-bound-pct}, 0 to turn it off), computed
 *       per batch over the detached p̂ of every row;
 *   <li>{@code 1/maxWeight}, a cap on the weight ({@code max-weight}, +inf for none).
 * </ul>
 *
 * and from above at 1. Clamping trades variance for bias: with p̂ = p, the clipped IPW estimate
 * underestimates P by (1/|D|) Σ_{p&lt;τ} (1 − p/τ)·e. Gradients do not flow through clamped rows.
 *
 * @param floor the absolute floor τ, in (0, 1]
 * @param boundPercent τ% in [0, 100]
 * @param maxWeight the largest allowed weight, in [1, +inf]
 */
public record PropensityClipping(double floor, double boundPercent, double maxWeight) {
    public PropensityClipping {
        if (!(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("IPW bound " + floor + " is outside (0, 1]");
        }
        if (!(boundPercent >= 0 && boundPercent <= 100)) {
            throw new IllegalArgumentException(
                    "IPW bound percentage " + boundPercent + " is outside [0, 100]");
        }
        if (!(maxWeight >= 1)) {
            throw new IllegalArgumentException("max weight " + maxWeight + " is outside [1, +inf]");
        }
    }

    /** Only an absolute floor. */
    public static PropensityClipping floorAt(double floor) {
        return new PropensityClipping(floor, 0.0, Double.POSITIVE_INFINITY);
    }

    /**
     * The lower bound for a batch whose (detached) propensities have the given smallest and mean
     * value; NaN statistics leave the relative bound out (the weight's guard reports NaN).
     */
    public double lowerBound(double batchMin, double batchMean) {
        double bound = Math.max(floor, 1.0 / maxWeight);
        // With τ% = 0 the relative bound is the batch minimum, which clamps nothing.
        double relative = batchMin + boundPercent / 100.0 * (batchMean - batchMin);
        if (!Double.isNaN(relative)) {
            bound = Math.max(bound, relative);
        }
        return Math.min(bound, 1.0);
    }

    /** {@code clamp(p̂, lowerBound, 1)}. */
    public <T> T apply(Ops<T> ops, T propensity) {
        double batchMin = Double.NaN;
        double batchMean = Double.NaN;
        if (boundPercent > 0) {
            T values = ops.detach(propensity);
            batchMin = ops.value(ops.min(values));
            batchMean = ops.value(ops.mean(values));
        }
        return ops.clamp(propensity, lowerBound(batchMin, batchMean), 1.0);
    }
}
