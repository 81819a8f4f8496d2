package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.ImputationLossObjective;

/**
 * {@code joint-learning-dr}: the doubly robust joint learning of Wang et al. 2019 (paper 3.5,
 * 5.2.2), tailored to CVR. Three towers, each with embeddings of its own; a propensity model
 * pre-trained and frozen, then prediction and imputation steps alternating batch by batch:
 *
 * <ol>
 *   <li>{@code propensity} (pre-training): {@code ctr = (1/|D|) Σ_D CE(o, p̂)};
 *   <li>{@code prediction} (trains {@code cvr}):
 *       <pre>  cvr = E^DR = (1/|D|) Σ_D [ ê + o·(e − ê)/clip(p̂) ]      (eq. 6)</pre>
 *   <li>{@code imputation} (trains {@code imputation}):
 *       <pre>  imputation = (1/|D|) Σ_D o·(e − ê)²/clip(p̂)</pre>
 * </ol>
 *
 * Bias (1/|D|) Σ Δ·δ (eq. 7): unbiased when p̂ = p or ê = e.
 *
 * <p>Keys: {@code propensity}, {@code normalisation}, {@code ipw-bound}, {@code ipw-bound-pct},
 * {@code max-weight} (as {@link NaiveIpwFactory}), {@code imputation-l2} (1e-4), {@code
 * imputation-target} (error), {@code undersample-rate} (Infinity: every row); see {@link
 * EstimatorKeys}.
 */
public final class JointLearningDrFactory extends ConfiguredEstimatorFactory {
    public JointLearningDrFactory() {
        super(
                "joint-learning-dr",
                "Joint Learning DR: pre-trained propensity, alternating prediction and imputation"
                        + " steps (eq. 6), separate embeddings",
                Compositions.concat(
                        Compositions.frozenPropensityKeys(),
                        List.of(
                                EstimatorKeys.IMPUTATION_L2,
                                EstimatorKeys.IMPUTATION_TARGET,
                                EstimatorKeys.undersampleRate(Double.POSITIVE_INFINITY))));
    }

    @Override
    protected Estimator build(Config config) {
        Propensity propensity = Compositions.frozenPropensity(config);
        Imputation imputation =
                new ImputationTowerImputation(config.get(EstimatorKeys.IMPUTATION_TARGET));
        var prediction =
                new DoublyRobustObjective(
                        propensity, imputation, config.get(EstimatorKeys.NORMALISATION));
        var imputationLoss =
                new ImputationLossObjective(
                        propensity, imputation, ImputationWeighting.doublyRobust());
        return new ComposedEstimator(
                name(),
                config,
                List.of(
                        TowerSpec.separate(TowerNames.CTR),
                        TowerSpec.separate(TowerNames.CVR),
                        TowerSpec.separate(TowerNames.IMPUTATION)
                                .withL2(config.get(EstimatorKeys.IMPUTATION_L2))),
                propensity,
                imputation,
                TrainingSchedule.alternating(
                        new TrainingStep(
                                "propensity", new ClickThroughObjective(), Set.of(TowerNames.CTR)),
                        List.of(
                                new TrainingStep("prediction", prediction, Set.of(TowerNames.CVR)),
                                new TrainingStep(
                                        "imputation",
                                        imputationLoss,
                                        Set.of(TowerNames.IMPUTATION)))),
                Compositions.samplingRate(config));
    }
}
