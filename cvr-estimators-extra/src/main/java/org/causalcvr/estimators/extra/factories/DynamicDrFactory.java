package org.causalcvr.estimators.extra.factories;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.extra.propensity.DynamicPropensity;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.DoublyRobustFamily;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.DoublyRobustObjective;

/**
 * {@code d-dr}: the fine-grained dynamic DR estimator (Mingming Ha, Xuewen Tao, Wenfang Lin,
 * Qiongxu Ma, Wujiang Xu and Linxun Chen, "Fine-Grained Dynamic Framework for Bias-Variance Joint
 * Optimization on Data Missing Not at Random", NeurIPS 2024): Multi-DR's towers, with each clicked
 * pair's weight chosen by a joint objective of bias and variance instead of 1/p̂ for every pair:
 *
 * <pre>
 *   w(p̂)       = 1/(clip(p̂) + γ·(1 − clip(p̂)))
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = (1/|D|) Σ_D [ ê + o·(e − ê)·w(p̂) ]
 *   imputation = (1/|D|) Σ_D o·(e − ê)²/clip(p̂)          (e, r̂, p̂ detached; + l2 on the tower)
 * </pre>
 *
 * w(p̂) minimises bias² + γ·variance of one pair's correction o·(e − ê)·w (see {@link
 * DynamicPropensity}): near 1/p̂ for pairs clicked often, near 1/γ for pairs clicked rarely, at
 * most min(1/p̂, 1/γ). With p̂ = p its bias is (1/|D|) Σ_D (p·w(p) − 1)·(e − ê) = −(1/|D|) Σ_D γ(1
 * − p)/(p + γ(1 − p))·(e − ê), bounded, and 0 when ê = e; its variance is bounded by (1/γ)·max
 * δ²/|D| where DR's grows as 1/p. γ = 0 is Multi-DR.
 *
 * <p>Difference from the paper: Ha et al. choose a weight function per pair from a family and tune
 * its parameters per data set; the family here is the closed-form minimiser of their objective
 * (squared bias plus γ times variance, pair by pair) over all weights, with one parameter γ.
 *
 * <p>Keys: the co-trained propensity keys of {@code multi-dr} ({@code normalisation} applies to the
 * dynamic weights), {@code undersample-rate} (λ, 1.5 as {@code multi-dr}), {@code imputation-l2},
 * {@code imputation-target}, {@code variance-weight} (γ, 0.01, [0, 1]).
 */
public final class DynamicDrFactory extends ConfiguredEstimatorFactory {
    public DynamicDrFactory() {
        super(
                "d-dr",
                "D-DR (Ha et al.: Fine-Grained Dynamic Framework for Bias-Variance Joint"
                        + " Optimization on Data MNAR, NeurIPS 2024): DR with per-pair weight"
                        + " 1/(p̂ + gamma·(1 - p̂))",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(),
                        Compositions.imputationKeys(EstimatorKeys.UNDERSAMPLE_RATE),
                        List.of(ExtraKeys.VARIANCE_WEIGHT)));
    }

    @Override
    protected Estimator build(Config config) {
        double gamma = config.get(ExtraKeys.VARIANCE_WEIGHT);
        return DoublyRobustFamily.build(
                name(),
                config,
                DoublyRobustFamily.Variant.withCvrTerm(
                        (propensity, imputation, c) ->
                                new DoublyRobustObjective(
                                        new DynamicPropensity(propensity, gamma),
                                        imputation,
                                        c.get(EstimatorKeys.NORMALISATION))));
    }
}
