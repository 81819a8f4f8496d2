package org.causalcvr.estimators.extra.factories;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.kit.Compositions;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.kit.DoublyRobustFamily;
import org.causalcvr.estimators.objective.CtcvrObjective;
import org.causalcvr.estimators.objective.ScaledObjective;

/**
 * {@code escm2-dr}: ESCM²-DR (Wang et al., "ESCM²: Entire Space Counterfactual Multi-Task Model for
 * Post-Click Conversion Rate Estimation", SIGIR 2022, the DR variant of its counterfactual
 * regulariser and its total loss): ESMM's entire-space risks with the DR estimate of the CVR risk
 * as a counterfactual regulariser, on shared embeddings:
 *
 * <pre>
 *   ctr        = (1/|D|) Σ_D CE(o, p̂)
 *   cvr        = (1/|D|) Σ_D [ ê + o·(e − ê)/clip(p̂) ]                  (DR)
 *   ctcvr      = (1/|D|) Σ_D CE(o·r, p̂·r̂)
 *   imputation = (1/|D|) Σ_D o·(e − ê)²/clip(p̂)          (e, r̂, p̂ detached; + l2 on the tower)
 *   total      = ctr + w_cvr·cvr + w_ctcvr·ctcvr + imputation
 * </pre>
 *
 * The terms are reported unweighted, so {@code cvr} is the DR estimate of P; the CVR part is the
 * library's DR objective and stays doubly robust. ESCM²-IPW, the same model with the IPW
 * regulariser, is the CLI's example plugin ({@code escm2-ipw}).
 *
 * <p>Keys: the co-trained propensity keys of {@code multi-dr}, {@code cvr-weight} (w_cvr, 0.5, (0,
 * +inf)), {@code ctcvr-weight} (w_ctcvr, 0.5, [0, +inf)), {@code undersample-rate} (Infinity: off),
 * {@code imputation-l2} (1e-4), {@code imputation-target} (error).
 */
public final class Escm2DrFactory extends ConfiguredEstimatorFactory {
    public Escm2DrFactory() {
        super(
                "escm2-dr",
                "ESCM2-DR (Wang et al., SIGIR 2022): CTR + w_cvr·DR CVR + w_ctcvr·CTCVR over the"
                        + " exposure space (0.5, 0.5), imputation tower",
                Compositions.concat(
                        Compositions.cotrainedPropensityKeys(),
                        List.of(ExtraKeys.CVR_WEIGHT, ExtraKeys.CTCVR_WEIGHT),
                        Compositions.imputationKeys(ExtraKeys.UNDERSAMPLE_RATE)));
    }

    @Override
    protected Estimator build(Config config) {
        double ctcvrWeight = config.get(ExtraKeys.CTCVR_WEIGHT);
        return DoublyRobustFamily.build(
                name(),
                config,
                config.get(ExtraKeys.CVR_WEIGHT),
                ImputationWeighting.doublyRobust(),
                p -> List.of(new ScaledObjective(new CtcvrObjective(), ctcvrWeight)));
    }
}
