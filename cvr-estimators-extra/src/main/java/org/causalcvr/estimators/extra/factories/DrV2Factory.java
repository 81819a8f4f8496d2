package org.causalcvr.estimators.extra.factories;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.extra.objective.BalancingObjective;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.DoublyRobustFamily;

/**
 * {@code dr-v2}: DR-V2 (Li et al., "Propensity Matters: Measuring and Enhancing Balancing for
 * Recommendation", ICML 2023): Multi-DR whose propensity is trained not only to predict clicks but
 * also to balance the clicked and unclicked rows with respect to r̂:
 *
 * <pre>
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = (1/|D|) Σ_D [ ê + o·(e − ê)/clip(p̂) ]       (p̂ detached by default)
 *   imputation = (1/|D|) Σ_D o·(e − ê)²/clip(p̂)
 *   balance    = ( (1/|D|) Σ_D (o/clip(p̂) − (1 − o)/clip(1 − p̂))·r̂ )²    (p̂ attached, r̂ detached)
 *   total      = ctr + cvr + imputation + γ·balance
 * </pre>
 *
 * See {@link BalancingObjective}. Doubly robust as DR is: the balancing term moves p̂, not the form
 * of the estimate.
 *
 * <p>Keys: as {@code mrdr} but with {@code undersample-rate} off by default (Infinity: the
 * balancing term is a statement about the whole exposure space), and {@code balance-weight} (γ,
 * default 1, [0, +inf)).
 */
public final class DrV2Factory extends ConfiguredEstimatorFactory {
    public DrV2Factory() {
        super(
                "dr-v2",
                "DR-V2 (Li et al., ICML 2023): Multi-DR with the propensity also trained to balance,"
                        + " gamma·(mean[(o/p̂ - (1-o)/(1-p̂))·r̂])²",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(),
                        Compositions.imputationKeys(ExtraKeys.UNDERSAMPLE_RATE),
                        List.of(ExtraKeys.BALANCE_WEIGHT)));
    }

    @Override
    protected Estimator build(Config config) {
        BalancingObjective balancing = IpsV2Factory.balancing(config);
        return DoublyRobustFamily.build(
                name(), config, 1.0, ImputationWeighting.doublyRobust(), p -> List.of(balancing));
    }
}
