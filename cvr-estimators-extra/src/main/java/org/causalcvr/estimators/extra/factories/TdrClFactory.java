package org.causalcvr.estimators.extra.factories;

import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.estimators.extra.imputation.TargetedImputation;
import org.causalcvr.estimators.extra.objective.PropensityOnEveryRow;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.DoublyRobustFamily;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.Normalisation;

/**
 * {@code tdr-cl}: TDR-CL (Haoxuan Li, Yan Lyu, Chunyuan Zheng and Peng Wu, "TDR-CL: Targeted Doubly
 * Robust Collaborative Learning for Debiased Recommendations", ICLR 2023): Multi-DR's towers, with
 * the imputed errors targeted (a one-parameter correction along h = 1/p̂ fitted on each batch's
 * clicks) and the imputation tower trained collaboratively with that correction:
 *
 * <pre>
 *   ε          = Σ_D o·h·(e − ê) / Σ_D o·h²,   h = 1/clip(p̂),   ê* = ê + ε·h
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = (1/|D|) Σ_D [ ê* + o·(e − ê*)/clip(p̂) ] = (1/|D|) Σ_D ê*
 *   imputation = (1/|D|) Σ_D o·(e − ê*)²/clip(p̂)        (r̂, p̂ detached; + l2 on the tower)
 * </pre>
 *
 * See {@link TargetedImputation}. The targeting step is what TMLE does to an outcome model: ê* has
 * no inverse-propensity-weighted residual left on the clicks, so the estimate is the mean of ê*
 * over the exposures, with DR's double robustness (exact when ê = e, where ε = 0; consistent when
 * p̂ = p) and without DR's 1/p̂-weighted residual, the source of its variance. In the DR term ê is
 * detached, and gradients reach r̂ through ε on the clicked rows.
 *
 * <p>Collaborative learning: the imputed error is the sum of a parametric part (the imputation
 * tower's ê) and a non-parametric part (ε·h, re-fitted in closed form on every batch); the tower is
 * trained on the residual that the correction leaves, e − ê*, so the two parts are updated in turn
 * and each fits what the other does not. Difference from the paper: its targeting covariate and the
 * order of its updates are not taken from its text (which was not at hand); h = 1/p̂ is the
 * standard covariate of targeted learning for a mean with missing outcomes, and the two parts are
 * updated on every batch rather than in separate phases.
 *
 * <p>Keys: the co-trained propensity keys of {@code multi-dr} except {@code normalisation} (the
 * targeted residual is 0, so both normalisations give the same estimate), {@code undersample-rate}
 * (λ, 1.5 as {@code multi-dr}), {@code imputation-l2}, {@code imputation-target}.
 */
public final class TdrClFactory extends ConfiguredEstimatorFactory {
    public TdrClFactory() {
        super(
                "tdr-cl",
                "TDR-CL (Li, Lyu, Zheng, Wu: Targeted Doubly Robust Collaborative Learning for"
                        + " Debiased Recommendations, ICLR 2023): mean of ê* = ê + eps/p̂ targeted"
                        + " on the clicks",
                Compositions.concat(
                        StableDrFactory.withoutNormalisation(
                                Compositions.cotrainedPropensityKeys()),
                        Compositions.imputationKeys(EstimatorKeys.UNDERSAMPLE_RATE)));
    }

    @Override
    protected Estimator build(Config config) {
        return DoublyRobustFamily.build(
                name(),
                config,
                new DoublyRobustFamily.Variant() {
                    @Override
                    public Imputation imputation(Propensity propensity, Imputation tower) {
                        return new TargetedImputation(propensity, tower);
                    }

                    @Override
                    public Objective cvrTerm(Propensity propensity, Imputation targeted, Config c) {
                        // The targeted residual is 0, so the normalisation is moot.
                        return new PropensityOnEveryRow(
                                new DoublyRobustObjective(
                                        propensity, targeted, Normalisation.EXPOSURE_COUNT),
                                propensity);
                    }
                });
    }
}
