package org.causalcvr.estimators.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.ImputationLossObjective;
import org.causalcvr.estimators.objective.ScaledObjective;
import org.causalcvr.estimators.objective.SumObjective;

/**
 * Multi-DR's composition, shared by every DR estimator built on it ({@code multi-dr}, {@code mrdr},
 * {@code dr-bias}, {@code dr-mse}, {@code dr-v2}, {@code escm2-dr}): three towers on one shared
 * embedding (ctr, cvr, imputation), the co-trained propensity of the configuration, ê from the
 * imputation tower, trained jointly on
 *
 * <pre>
 *   ctr (when propensity-supervision) + w_cvr · DR + extra parts + imputation loss
 * </pre>
 *
 * where the imputation loss has the estimator's {@link ImputationWeighting}. The {@code cvr} term
 * is reported unweighted, so it stays the DR estimate of P whatever w_cvr is.
 *
 * <p>Keys read: the co-trained propensity keys ({@link Compositions#cotrainedPropensityKeys}) and
 * the imputation keys ({@link Compositions#imputationKeys}).
 */
public final class DoublyRobustFamily {
    private DoublyRobustFamily() {}

    /**
     * The estimator.
     *
     * @param cvrWeight w_cvr &gt; 0, the DR term's weight in the total (1 for plain Multi-DR)
     * @param weighting the imputation loss's per-click weight
     * @param extraParts given the propensity, the parts that come after the DR term (none for plain
     *     Multi-DR)
     */
    public static Estimator build(
            String name,
            Config config,
            double cvrWeight,
            ImputationWeighting weighting,
            Function<Propensity, List<Objective>> extraParts) {
        Propensity propensity = Compositions.cotrainedPropensity(config);
        Imputation imputation =
                new ImputationTowerImputation(config.get(EstimatorKeys.IMPUTATION_TARGET));
        var parts = new ArrayList<Objective>();
        Objective dr =
                new DoublyRobustObjective(
                        propensity, imputation, config.get(EstimatorKeys.NORMALISATION));
        parts.add(cvrWeight == 1.0 ? dr : new ScaledObjective(dr, cvrWeight));
        parts.addAll(extraParts.apply(propensity));
        parts.add(new ImputationLossObjective(propensity, imputation, weighting));
        var objective = new SumObjective(name, Compositions.withClickThrough(config, parts));
        return new ComposedEstimator(
                name,
                config,
                List.of(
                        TowerSpec.shared(TowerNames.CTR),
                        TowerSpec.shared(TowerNames.CVR),
                        TowerSpec.shared(TowerNames.IMPUTATION)
                                .withL2(config.get(EstimatorKeys.IMPUTATION_L2))),
                propensity,
                imputation,
                TrainingSchedule.joint(
                        objective, Set.of(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION)),
                Compositions.samplingRate(config));
    }
}
