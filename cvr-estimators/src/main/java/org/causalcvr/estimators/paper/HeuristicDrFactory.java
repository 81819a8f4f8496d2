package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.imputation.HeuristicImputation;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.SumObjective;

/**
 * {@code heuristic-dr}: the paper's baseline for Multi-DR (5.2.2): Multi-DR's shared-embedding CTR
 * and CVR towers, with the imputation tower replaced by a pseudo-label positive with probability η:
 *
 * <pre>
 *   ctr = (1/|D|) Σ_D CE(o, p̂)
 *   cvr = (1/|D|) Σ_D [ ê + o·(e − ê)/clip(p̂) ],   ê = CE(η, r̂)      (eq. 10 with a fixed ê)
 * </pre>
 *
 * Doubly robust in form: unbiased when p̂ = p (Theorem 2), whatever η.
 *
 * <p>Keys: {@code eta} (0.002, (0, 1)), the co-trained propensity keys of {@link MultiIpwFactory},
 * and {@code undersample-rate} (Infinity: every row); see {@link EstimatorKeys}.
 */
public final class HeuristicDrFactory extends ConfiguredEstimatorFactory {
    public HeuristicDrFactory() {
        super(
                "heuristic-dr",
                "Heuristic DR: Multi-DR with the imputed error CE(eta, r̂) of a pseudo-label"
                        + " (eta = 0.002)",
                Compositions.concat(
                        List.of(EstimatorKeys.ETA),
                        Compositions.concat(
                                Compositions.cotrainedPropensityKeys(),
                                List.of(EstimatorKeys.undersampleRate(Double.POSITIVE_INFINITY)))));
    }

    @Override
    protected Estimator build(Config config) {
        Propensity propensity = Compositions.cotrainedPropensity(config);
        var imputation = new HeuristicImputation(config.get(EstimatorKeys.ETA));
        var objective =
                new SumObjective(
                        name(),
                        Compositions.withClickThrough(
                                config,
                                List.of(
                                        new DoublyRobustObjective(
                                                propensity,
                                                imputation,
                                                config.get(EstimatorKeys.NORMALISATION)))));
        return new ComposedEstimator(
                name(),
                config,
                List.of(TowerSpec.shared(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR)),
                propensity,
                imputation,
                TrainingSchedule.joint(objective, Set.of(TowerNames.CTR, TowerNames.CVR)),
                Compositions.samplingRate(config));
    }
}
