package org.causalcvr.estimators.extra.factories;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.extra.objective.CounterfactualCvrObjective;
import org.causalcvr.estimators.extra.propensity.NonClickPropensity;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.InversePropensityFamily;

/**
 * {@code dcmt}: DCMT (Zhu et al., "DCMT: A Direct Entire-Space Causal Multi-Task Framework for
 * Post-Click Conversion Estimation", ICDE 2023, its entire-space counterfactual CVR loss): a CTR
 * tower and twin CVR towers on one shared embedding, the factual tower {@code cvr} trained on the
 * clicks and the counterfactual tower {@code cvr-counterfactual} on the unclicked rows, tied by
 * r̂_f + r̂_cf ≈ 1:
 *
 * <pre>
 *   ctr                = (1/|D|) Σ_D CE(o, p̂)
 *   cvr                = (1/|D|) Σ_D o·CE(r, r̂_f)/clip(p̂)                     (factual, IPW)
 *   cvr-counterfactual = (1/|D|) Σ_D (1 − o)·CE(1 − r, r̂_cf)/clip(1 − p̂)     (counterfactual)
 *   cvr-consistency    = (1/|D|) Σ_D |1 − (r̂_f + r̂_cf)|
 *   total              = ctr + cvr + cvr-counterfactual + λ·cvr-consistency
 * </pre>
 *
 * Both weights are detached by default ({@code propensity-gradient}). Prediction uses the factual
 * tower as {@code cvr}; the {@code cvr} term is the IPW estimate of P, unbiased when p̂ = p.
 *
 * <p>Keys: the co-trained propensity keys of {@code multi-ipw} (the clipping keys bound 1 − p̂ as
 * they bound p̂; {@code normalisation} applies to the factual term) and {@code consistency-weight}
 * (λ, default 0.001, [0, +inf)).
 */
public final class DcmtFactory extends ConfiguredEstimatorFactory {
    public DcmtFactory() {
        super(
                "dcmt",
                "DCMT (Zhu et al., ICDE 2023): twin factual/counterfactual CVR towers, o·e/p̂ +"
                        + " (1-o)·CE(1-r, r̂_cf)/(1-p̂) + lambda·|1 - (r̂_f + r̂_cf)|",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(),
                        List.of(ExtraKeys.CONSISTENCY_WEIGHT)));
    }

    @Override
    protected Estimator build(Config config) {
        double consistencyWeight = config.get(ExtraKeys.CONSISTENCY_WEIGHT);
        return InversePropensityFamily.build(
                name(),
                config,
                List.of(CounterfactualCvrObjective.TOWER),
                propensity ->
                        List.of(
                                new CounterfactualCvrObjective(
                                        NonClickPropensity.matching(config, propensity),
                                        consistencyWeight)));
    }
}
