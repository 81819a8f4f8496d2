package org.causalcvr.estimators.extra;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.propensity.PropensityClipping;

/**
 * The probability of <em>not</em> clicking, q̂ = 1 − p̂, clipped like p̂ before it becomes a weight
 * 1/(1 − p̂) (DCMT's counterfactual loss, the balancing loss of IPS-V2 and DR-V2).
 *
 * <p>From the CTR tower it is computed as sigmoid(−z) of the tower's logit z, which is exact where
 * p̂ is close to 1 (1 − sigmoid(z) would round to 0 there); from the oracle it is 1 − p. The {@link
 * PropensityClipping} of the estimator (ipw-bound, ipw-bound-pct, max-weight) is applied to q̂
 * itself, so the weight 1/(1 − p̂) is bounded exactly as 1/p̂ is. Detached or not, as the
 * estimator's propensity is.
 */
public final class NonClickPropensity implements Propensity {
    private final boolean oracle;
    private final boolean detached;
    private final PropensityClipping clipping;

    private NonClickPropensity(boolean oracle, boolean detached, PropensityClipping clipping) {
        this.oracle = oracle;
        this.detached = detached;
        this.clipping = Objects.requireNonNull(clipping);
    }

    /** 1 − sigmoid(ctr logit), gradients stopped when {@code detached}. */
    public static NonClickPropensity ctrTower(boolean detached, PropensityClipping clipping) {
        return new NonClickPropensity(false, detached, clipping);
    }

    /** 1 − p of synthetic data's true propensity. */
    public static NonClickPropensity oracle(PropensityClipping clipping) {
        return new NonClickPropensity(true, true, clipping);
    }

    public boolean detached() {
        return detached;
    }

    @Override
    public String name() {
        return oracle ? "non-click-oracle" : "non-click-ctr-tower";
    }

    @Override
    public Set<String> towers() {
        return oracle ? Set.of() : Set.of(TowerNames.CTR);
    }

    @Override
    public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
        T q;
        if (oracle) {
            T truth =
                    input.truePropensity()
                            .orElseThrow(
                                    () ->
                                            new CvrException(
                                                    "Propensity 'non-click-oracle' needs the true"
                                                            + " propensity of every row (column"
                                                            + " 'true_propensity'), which this"
                                                            + " batch lacks"));
            q = ops.oneMinus(truth);
        } else {
            q = ops.sigmoid(ops.neg(input.outputs().get(TowerNames.CTR)));
        }
        return clipping.apply(ops, detached ? ops.detach(q) : q);
    }

    /**
     * {@code 1/q̂} of every row, guarded like {@link
     * org.causalcvr.estimators.objective.InverseWeights}: a non-click propensity that is 0,
     * negative or NaN throws a one-line {@link CvrException} naming objective and term.
     */
    public static <T> T inverse(Ops<T> ops, T nonClick, String objective, String term) {
        double smallest = ops.value(ops.min(ops.detach(nonClick)));
        if (!(smallest > 0) || Double.isInfinite(1.0 / smallest)) {
            throw new CvrException(
                    "Objective '"
                            + objective
                            + "', term '"
                            + term
                            + "': a non-click propensity 1 - p̂ of "
                            + smallest
                            + " reaches a weight 1/(1 - p̂); allowed (0, 1]"
                            + " (is ipw-bound > 0? is the ctr tower's output NaN?)");
        }
        return ops.div(ops.scalar(1.0), nonClick);
    }
}
