package org.causalcvr.estimators.extra;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.estimators.paper.PaperKeys;

/**
 * The composition shared by this module's DR estimators: Multi-DR's three shared-embedding towers
 * (ctr, cvr, imputation), trained jointly on ctr + w_cvr·DR + imputation loss (with the estimator's
 * {@link ImputationWeighting}) + the estimator's extra parts.
 */
final class DoublyRobustFamily {
    private DoublyRobustFamily() {}

    /** Builds the estimator; {@code extra} gets the propensity and comes after the DR parts. */
    static Estimator build(
            String name,
            Config config,
            double cvrWeight,
            ImputationWeighting weighting,
            java.util.function.Function<Propensity, List<Objective>> extra) {
        Propensity propensity = Compositions.cotrainedPropensity(config);
        Imputation imputation =
                new ImputationTowerImputation(config.get(PaperKeys.IMPUTATION_TARGET));
        var parts = new ArrayList<Objective>();
        Objective dr =
                new DoublyRobustObjective(
                        propensity, imputation, config.get(PaperKeys.NORMALISATION));
        parts.add(cvrWeight == 1.0 ? dr : new ScaledObjective(dr, cvrWeight));
        parts.addAll(extra.apply(propensity));
        parts.add(new WeightedImputationLossObjective(propensity, imputation, weighting));
        var objective = new SumObjective(name, Compositions.withClickThrough(config, parts));
        return new ComposedEstimator(
                name,
                config,
                List.of(
                        TowerSpec.shared(TowerNames.CTR),
                        TowerSpec.shared(TowerNames.CVR),
                        TowerSpec.shared(TowerNames.IMPUTATION)
                                .withL2(config.get(PaperKeys.IMPUTATION_L2))),
                propensity,
                imputation,
                TrainingSchedule.joint(
                        objective, Set.of(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION)),
                Compositions.samplingRate(config));
    }
}
