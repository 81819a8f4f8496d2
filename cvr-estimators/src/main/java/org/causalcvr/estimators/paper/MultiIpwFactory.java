package org.causalcvr.estimators.paper;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.kit.InversePropensityFamily;

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
 * <p>Keys (see {@link EstimatorKeys}): {@code propensity} (ctr-tower | oracle), {@code
 * propensity-supervision} (true), {@code propensity-gradient} (detached), {@code normalisation}
 * (exposure-count | self-normalised), {@code ipw-bound} (0.001), {@code ipw-bound-pct} (0), {@code
 * max-weight} (Infinity).
 */
public final class MultiIpwFactory extends ConfiguredEstimatorFactory {
    public MultiIpwFactory() {
        super(
                "multi-ipw",
                "Multi-IPW: shared-embedding CTR tower as propensity, o·e/p̂ (eq. 8), co-trained"
                        + " with CE(o, p̂)",
                Compositions.cotrainedPropensityKeys());
    }

    @Override
    protected Estimator build(Config config) {
        return InversePropensityFamily.build(name(), config, List.of(), p -> List.of());
    }
}
