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
 * {@code dr-bias}: DR-BIAS (Dai et al., "A Generalized Doubly Robust Learning Framework for
 * Debiasing Post-Click Conversion Rate Prediction", KDD 2022, the DR-BIAS imputation loss):
 * Multi-DR's towers, with the imputation loss weighted by the squared-bias factor of DR under a
 * misspecified propensity:
 *
 * <pre>
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = (1/|D|) Σ_D [ ê + o·(e − ê)/clip(p̂) ]                  (DR, unchanged)
 *   imputation = (1/|D|) Σ_D o·(1 − p̂)²/p̂³·(e − ê)²    (e, r̂, p̂ detached; + l2 on the tower)
 * </pre>
 *
 * Doubly robust as DR is (the weighting only changes which ê is fitted).
 *
 * <p>Keys: as {@code mrdr} (λ = 1.5 by default, for the reason given there; the weight here is
 * larger still).
 */
public final class DrBiasFactory extends ConfiguredEstimatorFactory {
    public DrBiasFactory() {
        super(
                "dr-bias",
                "DR-BIAS (Dai et al., KDD 2022): Multi-DR with the imputation loss weighted"
                        + " o(1 - p̂)²/p̂³, the bias term of DR",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(),
                        Compositions.imputationKeys(EstimatorKeys.UNDERSAMPLE_RATE)));
    }

    @Override
    protected Estimator build(Config config) {
        return DoublyRobustFamily.build(
                name(), config, 1.0, ImputationWeighting.bias(), p -> List.of());
    }
}
