package org.causalcvr.estimators.paper;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.DoublyRobustFamily;
import org.causalcvr.estimators.kit.EstimatorKeys;

/**
 * {@code multi-dr}: the paper's Multi-DR (section 4.3, algorithm 2): CTR, CVR and imputation towers
 * on one shared embedding, co-trained in one step:
 *
 * <pre>
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = E^Multi-DR = (1/|D|) Σ_D [ ê + o·(e − ê)/clip(p̂) ]     (eq. 10)
 *   imputation = (1/|D|) Σ_D o·(e − ê)²/clip(p̂)     (+ l2 on the imputation tower)
 * </pre>
 *
 * Bias (1/|D|) Σ Δ·δ (eq. 7): unbiased when p̂ = p or ê = e (Theorem 2, eq. 11). The {@code cvr}
 * term trains the CVR tower (ê detached), the {@code imputation} term the imputation tower (e, r̂
 * and p̂ detached).
 *
 * <p>Under-sampling (paper 5.7): {@link Estimator#unclickedSamplingRate()} is λ; the backend keeps
 * about λ·N_clicked unclicked rows per batch and, as the paper does, does not re-weight them, so
 * |D| above is the size of the under-sampled batch and the CTR task sees a click-enriched batch.
 *
 * <p>Keys (see {@link EstimatorKeys}): the co-trained propensity keys of {@link MultiIpwFactory},
 * {@code undersample-rate} (1.5, (0, +inf]), {@code imputation-l2} (1e-4, [0, +inf)), {@code
 * imputation-target} (error | pseudo-label).
 */
public final class MultiDrFactory extends ConfiguredEstimatorFactory {
    public MultiDrFactory() {
        super(
                "multi-dr",
                "Multi-DR: shared-embedding CTR, CVR and imputation towers, ê + o(e − ê)/p̂ (eq."
                        + " 10), unclicked rows under-sampled to lambda = 1.5",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(),
                        List.of(
                                EstimatorKeys.UNDERSAMPLE_RATE,
                                EstimatorKeys.IMPUTATION_L2,
                                EstimatorKeys.IMPUTATION_TARGET)));
    }

    @Override
    protected Estimator build(Config config) {
        return DoublyRobustFamily.build(
                name(), config, 1.0, ImputationWeighting.doublyRobust(), p -> List.of());
    }
}
