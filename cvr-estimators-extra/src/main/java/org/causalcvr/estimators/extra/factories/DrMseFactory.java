package org.causalcvr.estimators.extra.factories;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.DoublyRobustFamily;
import org.causalcvr.estimators.kit.EstimatorKeys;

/**
 * {@code dr-mse}: DR-MSE (Dai et al., "A Generalized Doubly Robust Learning Framework for Debiasing
 * Post-Click Conversion Rate Prediction", KDD 2022, the DR-MSE imputation loss): Multi-DR's towers,
 * with the imputation loss weighted by a mix of DR-BIAS's bias factor and MRDR's variance factor,
 * so the fitted ê minimises a bound on the DR estimate's mean squared error:
 *
 * <pre>
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = (1/|D|) Σ_D [ ê + o·(e − ê)/clip(p̂) ]                  (DR, unchanged)
 *   imputation = (1/|D|) Σ_D o·[ γ·(1 − p̂)²/p̂³ + (1 − γ)·(1 − p̂)/p̂² ]·(e − ê)²
 * </pre>
 *
 * γ = 0 is MRDR, γ = 1 is DR-BIAS. Doubly robust as DR is.
 *
 * <p>Keys: as {@code mrdr} (λ = 1.5 by default, for the reason given there; the weight here is
 * larger still), and {@code bias-weight} (γ, default 0.5, [0, 1]).
 */
public final class DrMseFactory extends ConfiguredEstimatorFactory {
    public DrMseFactory() {
        super(
                "dr-mse",
                "DR-MSE (Dai et al., KDD 2022): Multi-DR with the imputation loss weighted"
                        + " gamma·o(1 - p̂)²/p̂³ + (1 - gamma)·o(1 - p̂)/p̂²",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(),
                        Compositions.imputationKeys(EstimatorKeys.UNDERSAMPLE_RATE),
                        List.of(ExtraKeys.BIAS_WEIGHT)));
    }

    @Override
    protected Estimator build(Config config) {
        return DoublyRobustFamily.build(
                name(),
                config,
                1.0,
                ImputationWeighting.meanSquaredError(config.get(ExtraKeys.BIAS_WEIGHT)),
                p -> List.of());
    }
}
