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
import org.causalcvr.estimators.objective.ClickSpaceObjective;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.estimators.propensity.ConstantPropensity;

/**
 * {@code base}: the naive post-click CVR model (paper 5.2.1), trained on the click space only:
 *
 * <pre>
 *   cvr = E^obs = (1/|O|) Σ_O CE(r, r̂)                    (eq. 2)
 *   ctr = (1/|D|) Σ_D CE(o, p̂)                           (reporting only)
 * </pre>
 *
 * Biased whenever clicks correlate with conversions. No configuration keys.
 *
 * <p>The {@code ctr} tower exists only so that pCTCVR = pCTR · pCVR can be reported; it has an
 * embedding table of its own (group {@code ctr}), so it does not act as multi-task learning for the
 * CVR tower, which the paper's Base model does not have.
 */
public final class BaseFactory extends ConfiguredEstimatorFactory {
    public BaseFactory() {
        super(
                "base",
                "Base: CVR MLP trained on clicks only, E^obs (eq. 2); biased under MNAR",
                List.of());
    }

    @Override
    protected Estimator build(Config config) {
        return clickSpace(name(), config, 1.0);
    }

    static Estimator clickSpace(String name, Config config, double positiveWeight) {
        var objective =
                new SumObjective(
                        name,
                        List.of(
                                new ClickThroughObjective(),
                                new ClickSpaceObjective(positiveWeight)));
        return new ComposedEstimator(
                name,
                config,
                List.of(TowerSpec.separate(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR)),
                ConstantPropensity.ONE,
                NoImputation.INSTANCE,
                TrainingSchedule.joint(objective, Set.of(TowerNames.CTR, TowerNames.CVR)),
                OptionalDouble.empty());
    }
}
