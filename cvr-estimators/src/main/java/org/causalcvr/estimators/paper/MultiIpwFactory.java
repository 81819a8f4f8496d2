package org.causalcvr.estimators.paper;

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

/**
 * {@code multi-ipw}: the paper's Multi-IPW (section 4.2, algorithm 1): CTR and CVR towers on one
 * shared embedding, the CTR tower's output as the propensity, co-trained:
 *
 * <pre>
 *   ctr = (1/|D|) Σ_D CE(o, p̂)
 *   cvr = E^Multi-IPW = (1/|D|) Σ_D o·CE(r, r̂)/clip(p̂)         (eq. 8)
 * </pre>
 *
 * Unbiased when p̂ = p and no clipping binds (Theorem 1, eq. 9).
 *
 * <p>Keys (see {@link PaperKeys}): {@code propensity} (ctr-tower | oracle), {@code
 * propensity-supervision} (true), {@code propensity-gradient} (detached), {@code normalisation}
 * (exposure-count | self-normalised), {@code ipw-bound} (0.001), {@code ipw-bound-pct} (0), {@code
 * max-weight} (Infinity).
 */
public final class MultiIpwFactory extends PaperEstimatorFactory {
    public MultiIpwFactory() {
        super(
                "multi-ipw",
                "Multi-IPW: shared-embedding CTR tower as propensity, o·e/p̂ (eq. 8), co-trained"
                        + " with CE(o, p̂)",
                Compositions.cotrainedPropensityKeys());
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
                                                propensity, config.get(PaperKeys.NORMALISATION)))));
        return new ComposedEstimator(
                name(),
                config,
                List.of(TowerSpec.shared(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR)),
                propensity,
                NoImputation.INSTANCE,
                TrainingSchedule.joint(objective, Set.of(TowerNames.CTR, TowerNames.CVR)),
                OptionalDouble.empty());
    }
}
