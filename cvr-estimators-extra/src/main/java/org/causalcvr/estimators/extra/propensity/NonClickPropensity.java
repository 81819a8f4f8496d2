package org.causalcvr.estimators.extra.propensity;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.propensity.ColumnPropensity;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.PropensityClipping;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.estimators.propensity.PropensitySource;

/**
 * The probability of <em>not</em> clicking, q̂ = 1 − p̂, clipped like p̂ before it becomes a weight
 * 1/(1 − p̂) (DCMT's counterfactual loss, the balancing loss of IPS-V2 and DR-V2).
 *
 * <p>From the CTR tower it is computed as sigmoid(−z) of the tower's logit z, which is exact where
 * p̂ is close to 1 (1 − sigmoid(z) would round to 0 there); from the oracle it is 1 − p, and from
 * the data's estimated propensity (column {@code propensity}) 1 − p̂. The {@link
 * PropensityClipping} of the estimator (ipw-bound, ipw-bound-pct, max-weight) is applied to q̂
 * itself, so the weight 1/(1 − p̂) is bounded exactly as 1/p̂ is. Detached or not, as the
 * estimator's propensity is.
 */
public final class NonClickPropensity implements Propensity {
    private final PropensitySource source;
    private final PropensityGradient gradient;
    private final PropensityClipping clipping;

    private NonClickPropensity(
            PropensitySource source, PropensityGradient gradient, PropensityClipping clipping) {
        this.source = Objects.requireNonNull(source);
        this.gradient = Objects.requireNonNull(gradient);
        this.clipping = Objects.requireNonNull(clipping);
    }

    /** 1 − sigmoid(ctr logit), gradients into the tower as {@code gradient} says. */
    public static NonClickPropensity ctrTower(
            PropensityGradient gradient, PropensityClipping clipping) {
        return new NonClickPropensity(PropensitySource.CTR_TOWER, gradient, clipping);
    }

    /** 1 − p of synthetic data's true propensity. */
    public static NonClickPropensity oracle(PropensityClipping clipping) {
        return new NonClickPropensity(
                PropensitySource.ORACLE, PropensityGradient.DETACHED, clipping);
    }

    /** 1 − p̂ of an estimated propensity supplied with the data (column {@code propensity}). */
    public static NonClickPropensity column(PropensityClipping clipping) {
        return new NonClickPropensity(
                PropensitySource.COLUMN, PropensityGradient.DETACHED, clipping);
    }

    /**
     * The non-click propensity matching {@code propensity} of the configuration: the same source
     * ({@code propensity}), the same clipping, and gradients as {@code propensity} passes them.
     */
    public static NonClickPropensity matching(Config config, Propensity propensity) {
        PropensityClipping clipping = Compositions.clipping(config);
        if (config.get(EstimatorKeys.PROPENSITY) == PropensitySource.ORACLE) {
            return oracle(clipping);
        }
        if (config.get(EstimatorKeys.PROPENSITY) == PropensitySource.COLUMN) {
            return column(clipping);
        }
        PropensityGradient gradient =
                propensity instanceof CtrTowerPropensity tower
                        ? tower.gradient()
                        : PropensityGradient.DETACHED;
        return ctrTower(gradient, clipping);
    }

    /** Whether 1/(1 − p̂) passes gradients into the CTR tower. */
    public PropensityGradient gradient() {
        return gradient;
    }

    @Override
    public String name() {
        return switch (source) {
            case ORACLE -> "non-click-oracle";
            case COLUMN -> "non-click-column";
            case CTR_TOWER -> "non-click-ctr-tower";
        };
    }

    @Override
    public Set<String> towers() {
        return source == PropensitySource.CTR_TOWER ? Set.of(TowerNames.CTR) : Set.of();
    }

    @Override
    public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
        T q;
        if (source == PropensitySource.ORACLE) {
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
        } else if (source == PropensitySource.COLUMN) {
            q = ops.oneMinus(ColumnPropensity.estimated(input));
        } else {
            q = ops.sigmoid(ops.neg(input.outputs().get(TowerNames.CTR)));
        }
        return clipping.apply(ops, gradient == PropensityGradient.DETACHED ? ops.detach(q) : q);
    }
}
