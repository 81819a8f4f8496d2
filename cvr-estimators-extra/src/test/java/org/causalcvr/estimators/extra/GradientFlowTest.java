package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.estimators.extra.objective.BalancingObjective;
import org.causalcvr.estimators.extra.objective.CounterfactualCvrObjective;
import org.causalcvr.testkit.DualOps;
import org.causalcvr.testkit.DualOps.Dual;
import org.junit.jupiter.api.Test;

/**
 * Where each new term sends its gradients, by forward-mode derivatives along one tower's logits:
 * the balancing term of the V2 estimators trains the propensity even though the IPW weight stays
 * detached; DCMT's counterfactual weight is detached; the weighted imputation losses train only the
 * imputation tower.
 */
class GradientFlowTest {
    private static final double[] CLICKS = {1, 0, 1, 0, 0, 1};
    private static final double[] CONVERSIONS = {1, 0, 0, 0, 0, 1};

    /** d(term)/d(every logit of {@code tower}) for the estimator's main objective. */
    private static Map<String, Double> derivatives(Estimator estimator, String tower) {
        var logits = new LinkedHashMap<String, Dual>();
        double[][] values = {
            {-1.2, 0.3, 0.8, -2.0, 1.5, 0.1},
            {0.4, -0.7, 1.1, -0.2, 0.9, -1.4},
            {0.2, 0.5, -0.3, 0.7, -0.6, 0.05}
        };
        int k = 0;
        for (var t : estimator.towers()) {
            double[] z = values[k++ % values.length];
            logits.put(t.name(), t.name().equals(tower) ? Dual.variable(z) : Dual.constant(z));
        }
        var input =
                ObjectiveInput.of(
                        Dual.constant(CLICKS),
                        Dual.constant(CONVERSIONS),
                        new TowerOutputs<>(logits));
        LossTerms<Dual> loss = estimator.schedule().mainObjective().loss(DualOps.INSTANCE, input);
        var out = new LinkedHashMap<String, Double>();
        loss.terms().forEach((name, value) -> out.put(name, value.d()[0] + 0.0)); // -0.0 reads as 0
        out.put("total", loss.total().d()[0] + 0.0);
        return out;
    }

    private static Estimator estimator(String name, Map<String, String> settings) {
        return ExtraEstimatorsModule.factories().stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow()
                .create(settings);
    }

    @Test
    void theBalancingTermTrainsThePropensityWhileTheIpwWeightStaysDetached() {
        for (String name : new String[] {"ips-v2", "dr-v2"}) {
            Map<String, Double> ctr = derivatives(estimator(name, Map.of()), TowerNames.CTR);
            assertThat(ctr.get(BalancingObjective.TERM)).as(name).isNotZero();
            assertThat(ctr.get("cvr")).as(name + ": IPW weight detached").isZero();
            Map<String, Double> cvr = derivatives(estimator(name, Map.of()), TowerNames.CVR);
            assertThat(cvr.get(BalancingObjective.TERM)).as(name + ": r̂ is fixed").isZero();
            assertThat(cvr.get("cvr")).isNotZero();
        }
    }

    @Test
    void withBalanceWeightZeroTheV2EstimatorsTrainThePropensityLikeTheirV1() {
        Map<String, Double> ctr =
                derivatives(estimator("ips-v2", Map.of("balance-weight", "0")), TowerNames.CTR);
        assertThat(ctr.get("total")).isEqualTo(ctr.get("ctr"));
    }

    @Test
    void dcmtDetachesBothWeightsAndTiesTheTwinTowers() {
        Estimator dcmt = estimator("dcmt", Map.of());
        Map<String, Double> ctr = derivatives(dcmt, TowerNames.CTR);
        assertThat(ctr.get("cvr")).isZero();
        assertThat(ctr.get(CounterfactualCvrObjective.COUNTERFACTUAL_TERM)).isZero();
        Map<String, Double> twin = derivatives(dcmt, CounterfactualCvrObjective.TOWER);
        assertThat(twin.get(CounterfactualCvrObjective.COUNTERFACTUAL_TERM)).isNotZero();
        assertThat(twin.get(CounterfactualCvrObjective.CONSISTENCY_TERM)).isNotZero();
        assertThat(twin.get("cvr")).isZero();
        Map<String, Double> factual = derivatives(dcmt, TowerNames.CVR);
        assertThat(factual.get(CounterfactualCvrObjective.CONSISTENCY_TERM)).isNotZero();
        assertThat(factual.get(CounterfactualCvrObjective.COUNTERFACTUAL_TERM)).isZero();
        Map<String, Double> attached =
                derivatives(
                        estimator("dcmt", Map.of("propensity-gradient", "attached")),
                        TowerNames.CTR);
        assertThat(attached.get(CounterfactualCvrObjective.COUNTERFACTUAL_TERM)).isNotZero();
    }

    @Test
    void theWeightedImputationLossesTrainOnlyTheImputationTower() {
        for (String name : new String[] {"mrdr", "dr-bias", "dr-mse", "escm2-dr", "dr-v2"}) {
            Estimator estimator = estimator(name, Map.of());
            assertThat(derivatives(estimator, TowerNames.CTR).get("imputation")).as(name).isZero();
            assertThat(derivatives(estimator, TowerNames.CVR).get("imputation")).as(name).isZero();
            assertThat(derivatives(estimator, TowerNames.IMPUTATION).get("imputation"))
                    .as(name)
                    .isNotZero();
            assertThat(derivatives(estimator, TowerNames.IMPUTATION).get("cvr"))
                    .as(name + ": ê detached in the DR term")
                    .isZero();
        }
    }

    @Test
    void escm2DrsCtcvrTermTrainsBothTowersAsInEsmm() {
        Estimator escm2 = estimator("escm2-dr", Map.of());
        assertThat(derivatives(escm2, TowerNames.CTR).get("ctcvr")).isNotZero();
        assertThat(derivatives(escm2, TowerNames.CVR).get("ctcvr")).isNotZero();
    }
}
