package org.causalcvr.estimators.extra.propensity;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.ops.Ops;

/**
 * The dynamic propensity of D-DR, p̃ = γ + (1 − γ)·p̂, so that the weight of a clicked row is
 *
 * <pre>
 *   w(p̂) = 1/p̃ = 1/(p̂ + γ·(1 − p̂))
 * </pre>
 *
 * instead of 1/p̂ (Ha et al., "Fine-Grained Dynamic Framework for Bias-Variance Joint Optimization
 * on Data Missing Not at Random", NeurIPS 2024: a weight chosen per user-item pair by a joint
 * objective of bias and variance, rather than one estimator for every pair).
 *
 * <p>Why this form: for one pair with click probability p and residual δ = e − ê, the correction
 * o·δ·w of a DR estimate has bias (p·w − 1)·δ and variance p(1 − p)·w²·δ² over the click. The
 * weight that minimises bias² + γ·variance is exactly w = 1/(p + γ(1 − p)), whatever δ: a pair with
 * a large p keeps almost its inverse-propensity weight (IPW's unbiasedness), a pair with a tiny p
 * gets a weight near 1/γ (the imputation's low variance). So the choice between the two estimators
 * is made per pair, continuously, by p̂ alone. γ = 0 is DR; γ = 1 is the imputation plus the
 * unweighted residual. The weight is at most min(1/p̂, 1/γ).
 *
 * <p>The inner propensity's clipping and gradient choice apply to p̂ before the mix; p̃ ≥ p̂, so it
 * keeps the {@link Propensity} contract.
 */
public final class DynamicPropensity implements Propensity {
    private final Propensity inner;
    private final double varianceWeight;

    /**
     * @param inner the clipped p̂
     * @param varianceWeight γ in [0, 1]: the weight of the variance against the squared bias
     */
    public DynamicPropensity(Propensity inner, double varianceWeight) {
        if (!(varianceWeight >= 0 && varianceWeight <= 1)) {
            throw new IllegalArgumentException(
                    "variance weight " + varianceWeight + " is outside [0, 1]");
        }
        this.inner = Objects.requireNonNull(inner);
        this.varianceWeight = varianceWeight;
    }

    public Propensity inner() {
        return inner;
    }

    public double varianceWeight() {
        return varianceWeight;
    }

    /** w(p̂) = 1/(p̂ + γ(1 − p̂)) on plain doubles, for tests and reports. */
    public static double weight(double propensity, double varianceWeight) {
        return 1.0 / (propensity + varianceWeight * (1.0 - propensity));
    }

    @Override
    public String name() {
        return "dynamic-" + inner.name();
    }

    @Override
    public Set<String> towers() {
        return inner.towers();
    }

    @Override
    public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
        T p = inner.propensity(ops, input);
        return ops.addScalar(ops.mulScalar(p, 1.0 - varianceWeight), varianceWeight);
    }
}
