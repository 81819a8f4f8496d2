package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.extra.objective.CounterfactualCvrObjective;
import org.causalcvr.estimators.extra.propensity.NonClickPropensity;
import org.causalcvr.estimators.imputation.ImputationTarget;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.objective.ImputationLossObjective;
import org.causalcvr.estimators.objective.InverseWeights;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.testkit.ObjectiveValues;
import org.junit.jupiter.api.Test;

/** Every new loss against a computation by hand on a small batch, and the one-line errors. */
class ObjectivesByHandTest {
    private static final double[] O = {1, 1, 0, 0};
    private static final double[] R = {1, 0, 0, 0};
    private static final double[] P_HAT = {0.25, 0.5, 0.8, 0.1};
    private static final double[] R_HAT = {0.6, 0.3, 0.2, 0.7};
    private static final double[] E_HAT = {0.4, 0.2, 0.9, 0.5};
    private static final double TOL = 1e-12;

    private static double ce(double y, double q) {
        return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    }

    private static Estimator estimator(String name, Map<String, String> settings) {
        return ExtraEstimatorsModule.factories().stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow()
                .create(settings);
    }

    private static Map<String, Double> terms(String name, Map<String, String> settings) {
        return terms(estimator(name, settings), Map.of());
    }

    private static Map<String, Double> terms(Estimator estimator, Map<String, double[]> extra) {
        var logits = new LinkedHashMap<String, double[]>();
        logits.put(TowerNames.CTR, ObjectiveValues.logits(P_HAT));
        logits.put(TowerNames.CVR, ObjectiveValues.logits(R_HAT));
        double[] z = new double[E_HAT.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = ImputationTowerImputation.logitForError(E_HAT[i]);
        }
        logits.put(TowerNames.IMPUTATION, z);
        logits.putAll(extra);
        logits.keySet().retainAll(estimator.towers().stream().map(t -> t.name()).toList());
        var input = ObjectiveValues.inputFromLogits(O, R, logits, null);
        return ObjectiveValues.terms(estimator.schedule().mainObjective(), input);
    }

    private static double mean(java.util.function.IntToDoubleFunction row) {
        double s = 0;
        for (int i = 0; i < O.length; i++) {
            s += row.applyAsDouble(i);
        }
        return s / O.length;
    }

    private static double ctr() {
        return mean(i -> ce(O[i], P_HAT[i]));
    }

    private static double dr() {
        return mean(i -> E_HAT[i] + O[i] * (ce(R[i], R_HAT[i]) - E_HAT[i]) / P_HAT[i]);
    }

    private static double imputation(java.util.function.DoubleUnaryOperator w) {
        return mean(
                i -> {
                    double d = ce(R[i], R_HAT[i]) - E_HAT[i];
                    return O[i] * w.applyAsDouble(P_HAT[i]) * d * d;
                });
    }

    @Test
    void imputationWeightsAreThePapersPolynomials() {
        assertThat(ImputationWeighting.doublyRobust().weight(0.25)).isCloseTo(4, within(TOL));
        assertThat(ImputationWeighting.moreRobust().weight(0.25)).isCloseTo(12, within(TOL));
        assertThat(ImputationWeighting.bias().weight(0.25)).isCloseTo(36, within(TOL));
        assertThat(ImputationWeighting.meanSquaredError(0.25).weight(0.25))
                .isCloseTo(0.25 * 36 + 0.75 * 12, within(TOL));
        assertThat(ImputationWeighting.moreRobust().weight(1.0)).isZero();
    }

    @Test
    void mrdrDrBiasAndDrMseDifferFromDrOnlyInTheImputationWeight() {
        var mrdr = terms("mrdr", Map.of());
        assertThat(mrdr.get("ctr")).isCloseTo(ctr(), within(TOL));
        assertThat(mrdr.get("cvr")).isCloseTo(dr(), within(1e-9));
        assertThat(mrdr.get("imputation"))
                .isCloseTo(imputation(p -> (1 - p) / (p * p)), within(1e-9));
        assertThat(mrdr.get("total"))
                .isCloseTo(mrdr.get("ctr") + mrdr.get("cvr") + mrdr.get("imputation"), within(TOL));
        assertThat(terms("dr-bias", Map.of()).get("imputation"))
                .isCloseTo(imputation(p -> (1 - p) * (1 - p) / (p * p * p)), within(1e-9));
        assertThat(terms("dr-mse", Map.of("bias-weight", "0.3")).get("imputation"))
                .isCloseTo(
                        imputation(
                                p ->
                                        0.3 * (1 - p) * (1 - p) / (p * p * p)
                                                + 0.7 * (1 - p) / (p * p)),
                        within(1e-9));
        assertThat(terms("dr-mse", Map.of("bias-weight", "0")).get("imputation"))
                .isCloseTo(mrdr.get("imputation"), within(1e-12));
    }

    @Test
    void escm2DrWeightsItsTermsButReportsThemUnweighted() {
        var t = terms("escm2-dr", Map.of("cvr-weight", "0.7", "ctcvr-weight", "0.2"));
        double ctcvr = mean(i -> ce(O[i] * R[i], P_HAT[i] * R_HAT[i]));
        assertThat(t.get("cvr")).isCloseTo(dr(), within(1e-9));
        assertThat(t.get("ctcvr")).isCloseTo(ctcvr, within(1e-9));
        assertThat(t.get("imputation")).isCloseTo(imputation(p -> 1 / p), within(1e-9));
        assertThat(t.get("total"))
                .isCloseTo(ctr() + 0.7 * dr() + 0.2 * ctcvr + imputation(p -> 1 / p), within(1e-9));
    }

    @Test
    void dcmtsTermsAreTheFactualIpwTheCounterfactualLossAndTheRegulariser() {
        double[] cf = {0.5, 0.6, 0.9, 0.2};
        var t =
                terms(
                        estimator("dcmt", Map.of("consistency-weight", "0.3")),
                        Map.of(CounterfactualCvrObjective.TOWER, ObjectiveValues.logits(cf)));
        double factual = mean(i -> O[i] * ce(R[i], R_HAT[i]) / P_HAT[i]);
        double counterfactual = mean(i -> (1 - O[i]) * ce(1 - R[i], cf[i]) / (1 - P_HAT[i]));
        double consistency = mean(i -> Math.abs(1 - (R_HAT[i] + cf[i])));
        assertThat(t.get("cvr")).isCloseTo(factual, within(1e-9));
        assertThat(t.get("cvr-counterfactual")).isCloseTo(counterfactual, within(1e-9));
        assertThat(t.get("cvr-consistency")).isCloseTo(consistency, within(1e-9));
        assertThat(t.get("total"))
                .isCloseTo(ctr() + factual + counterfactual + 0.3 * consistency, within(1e-9));
    }

    @Test
    void theBalancingTermIsTheSquaredMeanImbalanceOfTheClicksAndNonClicks() {
        double imbalance = mean(i -> (O[i] / P_HAT[i] - (1 - O[i]) / (1 - P_HAT[i])) * R_HAT[i]);
        var ips = terms("ips-v2", Map.of("balance-weight", "2"));
        assertThat(ips.get("balance")).isCloseTo(imbalance * imbalance, within(1e-9));
        assertThat(ips.get("cvr"))
                .isCloseTo(mean(i -> O[i] * ce(R[i], R_HAT[i]) / P_HAT[i]), within(1e-9));
        assertThat(ips.get("total"))
                .isCloseTo(
                        ips.get("ctr") + ips.get("cvr") + 2 * imbalance * imbalance, within(1e-9));
        var dr = terms("dr-v2", Map.of());
        assertThat(dr.get("balance")).isCloseTo(imbalance * imbalance, within(1e-9));
        assertThat(dr.get("cvr")).isCloseTo(dr(), within(1e-9));
    }

    @Test
    void theNonClickPropensityIsClippedLikeThePropensity() {
        var input =
                ObjectiveValues.input(
                        O,
                        R,
                        Map.of(TowerNames.CTR, new double[] {0.9999999, 0.5, 1e-9, 0.3}),
                        new double[] {1.0, 0.5, 0.2, 0.7});
        var clipping = org.causalcvr.estimators.propensity.PropensityClipping.floorAt(0.01);
        double[] q =
                NonClickPropensity.ctrTower(PropensityGradient.DETACHED, clipping)
                        .propensity(DoubleOps.INSTANCE, input);
        assertThat(q[0]).isEqualTo(0.01);
        assertThat(q[1]).isCloseTo(0.5, within(1e-12));
        assertThat(q[2]).isCloseTo(1.0, within(1e-8));
        double[] truth = NonClickPropensity.oracle(clipping).propensity(DoubleOps.INSTANCE, input);
        assertThat(truth).containsExactly(new double[] {0.01, 0.5, 0.8, 0.3}, within(1e-12));
    }

    @Test
    void aNanPropensityReachingAWeightIsAOneLineErrorNamingTheTerm() {
        double[] nan = {Double.NaN, 0.0, 0.0, 0.0};
        for (var factory : ExtraEstimatorsModule.factories()) {
            Estimator estimator = factory.create(Map.of());
            if (estimator.propensity().towers().isEmpty()) {
                continue; // no propensity weight (nise): nothing for a NaN to reach
            }
            assertThatThrownBy(() -> terms(estimator, Map.of(TowerNames.CTR, nan)))
                    .as(factory.name())
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("NaN")
                    .hasMessageContaining("term '")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    /** A propensity that returns 0, bypassing clipping, as a broken third-party one might. */
    private record ZeroPropensity() implements Propensity {
        @Override
        public String name() {
            return "zero";
        }

        @Override
        public Set<String> towers() {
            return Set.of();
        }

        @Override
        public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
            return ops.full(input.clicks(), 0.0);
        }
    }

    @Test
    void aZeroPropensityReachingAnImputationWeightIsAOneLineError() {
        var objective =
                new ImputationLossObjective(
                        new ZeroPropensity(),
                        new ImputationTowerImputation(ImputationTarget.ERROR),
                        ImputationWeighting.bias());
        var input =
                ObjectiveValues.inputFromLogits(
                        O,
                        R,
                        Map.of(TowerNames.CVR, new double[4], TowerNames.IMPUTATION, new double[4]),
                        null);
        assertThatThrownBy(() -> ObjectiveValues.total(objective, input))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("dr-bias-imputation")
                .hasMessageContaining("a propensity of 0.0");
        assertThatThrownBy(
                        () ->
                                InverseWeights.ofNonClick(
                                        DoubleOps.INSTANCE, new double[] {0.5, 0.0}, "dcmt", "x"))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("1 - p̂ of 0.0");
    }
}
