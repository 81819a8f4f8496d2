package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.imputation.NoImputation;
import org.causalcvr.estimators.objective.InversePropensityObjective;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.estimators.paper.PaperEstimatorFactory;
import org.causalcvr.estimators.paper.PaperKeys;

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
public final class DcmtFactory extends PaperEstimatorFactory {
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
        Propensity propensity = Compositions.cotrainedPropensity(config);
        var objective =
                new SumObjective(
                        name(),
                        Compositions.withClickThrough(
                                config,
                                List.of(
                                        new InversePropensityObjective(
                                                propensity, config.get(PaperKeys.NORMALISATION)),
                                        new CounterfactualCvrObjective(
                                                Compositions.nonClick(config, propensity),
                                                config.get(ExtraKeys.CONSISTENCY_WEIGHT)))));
        return new ComposedEstimator(
                name(),
                config,
                List.of(
                        TowerSpec.shared(TowerNames.CTR),
                        TowerSpec.shared(TowerNames.CVR),
                        TowerSpec.shared(CounterfactualCvrObjective.TOWER)),
                propensity,
                NoImputation.INSTANCE,
                TrainingSchedule.joint(
                        objective,
                        Set.of(TowerNames.CTR, TowerNames.CVR, CounterfactualCvrObjective.TOWER)),
                OptionalDouble.empty());
    }
}
