package org.causalcvr.estimators.extra.factories;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.extra.objective.SemiSupervisedCvrObjective;
import org.causalcvr.estimators.imputation.NoImputation;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.propensity.ConstantPropensity;

/**
 * {@code nise}: NISE (Jiahui Huang, Lan Zhang, Junhao Wang, Shanyang Jiang, Dongbo Huang, Cheng
 * Ding and Lan Xu, "Utilizing Non-click Samples via Semi-supervised Learning for Conversion Rate
 * Prediction", RecSys 2024): CTR and CVR towers on one shared embedding, trained jointly on every
 * exposure, the unclicked ones as unlabelled data whose pseudo-label is the CVR tower's own
 * prediction, with a per-batch weight on the CVR task and no CTCVR task:
 *
 * <pre>
 *   ctr    = (1/|D|) Σ_D CE(o, p̂)
 *   cvr    = (1/|D|) Σ_D [ o·CE(r, r̂) + γ·(1 − o)·m·H(r̂) ]    (H the binary entropy)
 *   m      = 1 where max(r̂, 1 − r̂) > τ, else 0                    (no gradient)
 *   w      = α·min(ctr / cvr, β)                                 (no gradient)
 *   total  = ctr + w·cvr
 * </pre>
 *
 * See {@link SemiSupervisedCvrObjective} for the gradient of the pseudo-label term and for which
 * parts come from the paper's abstract, which from the authors' implementation and which are ours.
 * No inverse-propensity weights: the CTR tower is an auxiliary task and the pCTR of pCTCVR = pCTR ·
 * pCVR, not a propensity. No under-sampling (the authors train on every exposure by default).
 *
 * <p>Keys: {@code cvr-weight-scale} (α, default 1), {@code cvr-weight-cap} (β, default 50), both
 * the authors' defaults, {@code pseudo-label-weight} (γ, default 1 = NISE, 0 = the ablation without
 * non-click samples; ours) and {@code pseudo-label-confidence} (τ, default 0.9; ours: 0.5 is the
 * authors' loss, which can settle at r̂ ≈ 1 on every row from its first steps; see {@link
 * SemiSupervisedCvrObjective}).
 */
public final class NiseFactory extends ConfiguredEstimatorFactory {
    public NiseFactory() {
        super(
                "nise",
                "NISE (Huang et al., Utilizing Non-click Samples via Semi-supervised Learning for"
                        + " Conversion Rate Prediction, RecSys 2024): o·CE(r, r̂) + (1-o)·H(r̂)"
                        + " pseudo-labels where max(r̂, 1-r̂) > tau, weighted min(ctr/cvr, beta),"
                        + " + ctr",
                List.of(
                        ExtraKeys.CVR_WEIGHT_SCALE,
                        ExtraKeys.CVR_WEIGHT_CAP,
                        ExtraKeys.PSEUDO_LABEL_WEIGHT,
                        ExtraKeys.PSEUDO_LABEL_CONFIDENCE));
    }

    @Override
    protected Estimator build(Config config) {
        var objective =
                new SemiSupervisedCvrObjective(
                        config.get(ExtraKeys.CVR_WEIGHT_SCALE),
                        config.get(ExtraKeys.CVR_WEIGHT_CAP),
                        config.get(ExtraKeys.PSEUDO_LABEL_WEIGHT),
                        config.get(ExtraKeys.PSEUDO_LABEL_CONFIDENCE));
        return new ComposedEstimator(
                name(),
                config,
                List.of(TowerSpec.shared(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR)),
                ConstantPropensity.ONE,
                NoImputation.INSTANCE,
                TrainingSchedule.joint(objective, Set.of(TowerNames.CTR, TowerNames.CVR)),
                OptionalDouble.empty());
    }
}
