package org.causalcvr.estimators.extra.factories;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.objective.SumObjective;

/**
 * The cyclic learning of StableDR (Li, Zheng and Wu, ICLR 2023): the prediction, imputation and
 * propensity models are updated in turn, each step minimising its own loss with the others' outputs
 * held fixed, one batch per step, cycling:
 *
 * <ol>
 *   <li>{@code prediction} (trains {@code cvr}): the CVR term and the estimator's extra parts;
 *   <li>{@code imputation} (trains {@code imputation}): the imputation loss;
 *   <li>{@code propensity} (trains {@code ctr}): CE(o, p̂) over every exposure.
 * </ol>
 *
 * The towers share one embedding, which every step updates. Without {@code propensity-supervision}
 * there is no propensity step, and the prediction step also trains {@code ctr} (through the
 * attached weight, the only way it is then trained).
 */
final class CyclicSchedule {
    private CyclicSchedule() {}

    static TrainingSchedule of(
            String name, Config config, List<Objective> prediction, Objective imputationLoss) {
        boolean supervised = config.get(EstimatorKeys.PROPENSITY_SUPERVISION);
        var steps = new ArrayList<TrainingStep>();
        steps.add(
                new TrainingStep(
                        "prediction",
                        new SumObjective(name, prediction),
                        supervised
                                ? Set.of(TowerNames.CVR)
                                : Set.of(TowerNames.CVR, TowerNames.CTR)));
        steps.add(new TrainingStep("imputation", imputationLoss, Set.of(TowerNames.IMPUTATION)));
        if (supervised) {
            steps.add(
                    new TrainingStep(
                            "propensity", new ClickThroughObjective(), Set.of(TowerNames.CTR)));
        }
        return TrainingSchedule.alternating(null, steps);
    }
}
