package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.estimators.imputation.NoImputation;
import org.causalcvr.estimators.kit.ConfiguredEstimatorFactory;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.objective.CtcvrObjective;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.estimators.objective.Terms;
import org.causalcvr.estimators.propensity.ConstantPropensity;

/**
 * {@code esmm}: the Entire Space Multi-task Model (Ma et al. 2018), CTR and CVR towers on one
 * shared embedding, trained over every exposure:
 *
 * <pre>
 *   E^ESMM = (1/|D|) Σ_D [ CE(o, p̂) + CE(o·r, p̂·r̂) ]      (terms ctr, ctcvr; eq. 3)
 * </pre>
 *
 * The paper (section 3.2, figure 2) shows this is a biased estimate of P. No configuration keys.
 */
public final class EsmmFactory extends ConfiguredEstimatorFactory {
    public EsmmFactory() {
        super(
                "esmm",
                "ESMM: CTR + CTCVR over all exposures, shared embeddings (eq. 3); biased (figure"
                        + " 2)",
                List.of());
    }

    @Override
    protected Estimator build(Config config) {
        return esmm(
                name(), config, TowerSpec.shared(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR));
    }

    static Estimator esmm(String name, Config config, TowerSpec ctr, TowerSpec cvr) {
        return new ComposedEstimator(
                name,
                config,
                List.of(ctr, cvr),
                ConstantPropensity.ONE,
                NoImputation.INSTANCE,
                TrainingSchedule.joint(objective(), Set.of(TowerNames.CTR, TowerNames.CVR)),
                OptionalDouble.empty());
    }

    /**
     * ESMM's objective (Ma et al. 2018), over every exposure: the CTR term plus the CTCVR term,
     *
     * <pre>
     *   E^ESMM = (1/|D|) Σ_D [ CE(o, p̂) + CE(o·r, p̂·r̂) ]
     * </pre>
     *
     * with terms {@value Terms#CTR} and {@value Terms#CTCVR}. The paper's eq. 3 takes this sum as
     * ESMM's estimate of the CVR inaccuracy P and shows with figure 2 that it is biased: the CTCVR
     * label o·r is 0 for an unclicked exposure that would have converted, so the CVR tower is never
     * told about it. It has no {@value Terms#CVR} term; its total is the eq. 3 estimate.
     */
    public static Objective objective() {
        return new SumObjective("esmm", List.of(new ClickThroughObjective(), new CtcvrObjective()));
    }
}
