package org.causalcvr.estimators.extra.factories;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.estimators.extra.objective.BalancingObjective;
import org.causalcvr.estimators.extra.propensity.NonClickPropensity;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.InversePropensityFamily;

/**
 * {@code ips-v2}: IPS-V2 (Li et al., "Propensity Matters: Measuring and Enhancing Balancing for
 * Recommendation", ICML 2023): Multi-IPW whose propensity is trained not only to predict clicks but
 * also to balance the clicked and unclicked rows with respect to r̂:
 *
 * <pre>
 *   ctr     = (1/|D|) Σ_D CE(o, p̂)
 *   cvr     = (1/|D|) Σ_D o·CE(r, r̂)/clip(p̂)                (p̂ detached by default)
 *   balance = ( (1/|D|) Σ_D (o/clip(p̂) − (1 − o)/clip(1 − p̂))·r̂ )²     (p̂ attached, r̂ detached)
 *   total   = ctr + cvr + γ·balance
 * </pre>
 *
 * See {@link BalancingObjective}. Unbiased when p̂ = p, as IPW is.
 *
 * <p>Keys: the co-trained propensity keys of {@code multi-ipw} ({@code propensity}, {@code
 * propensity-supervision}, {@code propensity-gradient}, {@code normalisation}, {@code ipw-bound},
 * {@code ipw-bound-pct}, {@code max-weight}) and {@code balance-weight} (γ, default 1, [0, +inf)).
 */
public final class IpsV2Factory extends ConfiguredEstimatorFactory {
    public IpsV2Factory() {
        super(
                "ips-v2",
                "IPS-V2 (Li et al., ICML 2023): Multi-IPW with the propensity also trained to"
                        + " balance, gamma·(mean[(o/p̂ - (1-o)/(1-p̂))·r̂])²",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(), List.of(ExtraKeys.BALANCE_WEIGHT)));
    }

    @Override
    protected Estimator build(Config config) {
        BalancingObjective balancing = balancing(config);
        return InversePropensityFamily.build(
                name(), config, List.of(), propensity -> List.of(balancing));
    }

    /** The balancing term of the configuration, its propensity attached. */
    static BalancingObjective balancing(Config config) {
        Propensity attached = Compositions.attachedPropensity(config);
        return new BalancingObjective(
                attached,
                NonClickPropensity.matching(config, attached),
                config.get(ExtraKeys.BALANCE_WEIGHT));
    }
}
