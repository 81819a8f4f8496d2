package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.imputation.NoImputation;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.objective.NaiveImputationObjective;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.estimators.propensity.ConstantPropensity;

/**
 * {@code naive-imputation}: every unclicked exposure is a negative (paper 5.2.1):
 *
 * <pre>
 *   cvr = (1/|D|) Σ_D CE(o·r, r̂)
 *   ctr = (1/|D|) Σ_D CE(o, p̂)                           (reporting only)
 * </pre>
 *
 * Biased towards 0 wherever an unclicked exposure would have converted. No configuration keys. Like
 * {@link BaseFactory}, its {@code ctr} tower has embeddings of its own, so it is not multi-task
 * learning for the CVR tower.
 */
public final class NaiveImputationFactory extends ConfiguredEstimatorFactory {
    public NaiveImputationFactory() {
        super(
                "naive-imputation",
                "Naive Imputation: unclicked exposures as negatives, CE(o·r, r̂) over all rows;"
                        + " biased",
                List.of());
    }

    @Override
    protected Estimator build(Config config) {
        var objective =
                new SumObjective(
                        name(),
                        List.of(new ClickThroughObjective(), new NaiveImputationObjective()));
        return new ComposedEstimator(
                name(),
                config,
                List.of(TowerSpec.separate(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR)),
                ConstantPropensity.ONE,
                NoImputation.INSTANCE,
                TrainingSchedule.joint(objective, Set.of(TowerNames.CTR, TowerNames.CVR)),
                OptionalDouble.empty());
    }
}
