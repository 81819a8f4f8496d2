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
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.estimators.imputation.NoImputation;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.objective.InversePropensityObjective;

/**
 * {@code naive-ipw}: the IPW estimator of Schnabel et al. (paper 3.4, 5.2.2) with its propensity
 * from a separately trained CTR model, in two stages:
 *
 * <ol>
 *   <li>{@code propensity}: train the {@code ctr} tower (its own embeddings) on {@code ctr =
 *       (1/|D|) Σ_D CE(o, p̂)};
 *   <li>{@code prediction}: freeze it and train the {@code cvr} tower (its own embeddings) on
 *       <pre>  cvr = E^IPW = (1/|D|) Σ_D o·CE(r, r̂)/clip(p̂)          (eq. 4)</pre>
 *       or its SNIPS form.
 * </ol>
 *
 * Unbiased when p̂ = p and no clipping binds (Theorem 1, eq. 5).
 *
 * <p>Keys: {@code propensity} (ctr-tower), {@code normalisation} (exposure-count), {@code
 * ipw-bound} (0.001), {@code ipw-bound-pct} (0), {@code max-weight} (Infinity); see {@link
 * EstimatorKeys}.
 */
public final class NaiveIpwFactory extends ConfiguredEstimatorFactory {
    public NaiveIpwFactory() {
        super(
                "naive-ipw",
                "Naive IPW: propensity from a separately trained CTR model, then o·e/p̂ (eq. 4);"
                        + " two-stage",
                Compositions.frozenPropensityKeys());
    }

    @Override
    protected Estimator build(Config config) {
        Propensity propensity = Compositions.frozenPropensity(config);
        var ipw =
                new InversePropensityObjective(propensity, config.get(EstimatorKeys.NORMALISATION));
        return new ComposedEstimator(
                name(),
                config,
                List.of(TowerSpec.separate(TowerNames.CTR), TowerSpec.separate(TowerNames.CVR)),
                propensity,
                NoImputation.INSTANCE,
                TrainingSchedule.twoStage(
                        new TrainingStep(
                                "propensity", new ClickThroughObjective(), Set.of(TowerNames.CTR)),
                        new TrainingStep("prediction", ipw, Set.of(TowerNames.CVR))),
                OptionalDouble.empty());
    }
}
