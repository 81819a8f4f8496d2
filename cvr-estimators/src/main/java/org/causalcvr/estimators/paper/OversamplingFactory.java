package org.causalcvr.estimators.paper;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.EstimatorKeys;

/**
 * {@code oversampling}: the Base model with converted clicks duplicated k times (paper 5.2.1, after
 * its reference [40]):
 *
 * <pre>
 *   cvr = Σ_O c·CE(r, r̂) / Σ_O c,   c = 1 + (k − 1)·r   (eq. 2 on the oversampled click set)
 *   ctr = (1/|D|) Σ_D CE(o, p̂)                         (reporting only)
 * </pre>
 *
 * Key: {@code positive-weight} = k, default 5, [1, +inf). Like {@link BaseFactory}, its {@code ctr}
 * tower has embeddings of its own.
 */
public final class OversamplingFactory extends ConfiguredEstimatorFactory {
    public OversamplingFactory() {
        super(
                "oversampling",
                "Oversampling: Base with converted clicks counted k times (k = 5); biased under"
                        + " MNAR",
                List.of(EstimatorKeys.POSITIVE_WEIGHT));
    }

    @Override
    protected Estimator build(Config config) {
        return BaseFactory.clickSpace(name(), config, config.get(EstimatorKeys.POSITIVE_WEIGHT));
    }
}
