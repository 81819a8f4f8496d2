package org.causalcvr.estimators.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.estimators.imputation.HeuristicImputation;
import org.causalcvr.estimators.imputation.ImputationTarget;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.paper.EsmmFactory;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.PropensityClipping;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.testkit.DualOps;
import org.causalcvr.testkit.DualOps.Dual;
import org.junit.jupiter.api.Test;

/**
 * Where each term sends its gradients, by forward-mode differentiation along one tower's logits:
 * the detaching that DoubleOps cannot show.
 */
class GradientFlowTest {
    private static final DualOps OPS = DualOps.INSTANCE;
    private static final double[] O = {1, 1, 0, 1, 0};
    private static final double[] R = {1, 0, 0, 0, 0};
    private static final double[] CTR = {0.0, -1.0, -2.0, 1.5, 0.3};
    private static final double[] CVR = {1.0, -0.5, 0.4, 0.0, -1.2};
    private static final double[] IMP = {-0.3, 0.2, 1.1, -2.0, 0.0};
    private static final PropensityClipping CLIP = PropensityClipping.floorAt(1e-6);

    /** The input with the logits of {@code tower} as the differentiation variable. */
    private static ObjectiveInput<Dual> input(String tower) {
        var logits = new LinkedHashMap<String, Dual>();
        logits.put(TowerNames.CTR, dual(TowerNames.CTR, tower, CTR));
        logits.put(TowerNames.CVR, dual(TowerNames.CVR, tower, CVR));
        logits.put(TowerNames.IMPUTATION, dual(TowerNames.IMPUTATION, tower, IMP));
        return new ObjectiveInput<>(
                Dual.constant(O),
                Dual.constant(R),
                new TowerOutputs<>(logits),
                Optional.empty(),
                Optional.empty());
    }

    private static Dual dual(String name, String variable, double[] v) {
        return name.equals(variable) ? Dual.variable(v) : Dual.constant(v);
    }

    private static double gradient(Objective objective, String term, String tower) {
        LossTerms<Dual> loss = objective.loss(OPS, input(tower));
        return OPS.derivative(term == null ? loss.total() : loss.terms().get(term));
    }

    @Test
    void ipwGradientOfTheCvrTowerIsTheWeightedResidual() {
        var ipw =
                new InversePropensityObjective(
                        new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                        Normalisation.EXPOSURE_COUNT);
        double expected = 0;
        for (int i = 0; i < O.length; i++) {
            double p = 1 / (1 + Math.exp(-CTR[i]));
            double r = 1 / (1 + Math.exp(-CVR[i]));
            expected += O[i] * (r - R[i]) / p / O.length;
        }
        assertThat(gradient(ipw, Terms.CVR, TowerNames.CVR)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void aDetachedPropensityReceivesNoGradientFromTheWeightAndAnAttachedOneDoes() {
        var detached =
                new InversePropensityObjective(
                        new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                        Normalisation.EXPOSURE_COUNT);
        var attached =
                new InversePropensityObjective(
                        new CtrTowerPropensity(PropensityGradient.ATTACHED, CLIP),
                        Normalisation.EXPOSURE_COUNT);
        assertThat(gradient(detached, Terms.CVR, TowerNames.CTR)).isZero();
        assertThat(gradient(attached, Terms.CVR, TowerNames.CTR)).isNegative();
        var attachedDr =
                new DoublyRobustObjective(
                        new CtrTowerPropensity(PropensityGradient.ATTACHED, CLIP),
                        new ImputationTowerImputation(ImputationTarget.ERROR),
                        Normalisation.SELF_NORMALISED);
        assertThat(gradient(attachedDr, Terms.CVR, TowerNames.CTR)).isNotZero();
    }

    @Test
    void theCtrTaskTrainsTheCtrTowerEvenWhenTheWeightIsDetached() {
        var multiIpw =
                new SumObjective(
                        "multi-ipw",
                        List.of(
                                new ClickThroughObjective(),
                                new InversePropensityObjective(
                                        new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                                        Normalisation.EXPOSURE_COUNT)));
        double expected = 0;
        for (int i = 0; i < O.length; i++) {
            expected += (1 / (1 + Math.exp(-CTR[i])) - O[i]) / O.length;
        }
        assertThat(gradient(multiIpw, null, TowerNames.CTR)).isCloseTo(expected, within(1e-12));
        assertThat(gradient(multiIpw, Terms.CTR, TowerNames.CVR)).isZero();
    }

    @Test
    void clampedPropensitiesPassNoGradient() {
        var clipped =
                new CtrTowerPropensity(
                        PropensityGradient.ATTACHED, PropensityClipping.floorAt(0.99));
        Dual p = clipped.propensity(OPS, input(TowerNames.CTR));
        assertThat(p.d()).containsOnly(0.0);
        Dual free =
                new CtrTowerPropensity(PropensityGradient.ATTACHED, CLIP)
                        .propensity(OPS, input(TowerNames.CTR));
        assertThat(free.d()).doesNotContain(0.0);
    }

    @Test
    void theDrTermTrainsTheCvrTowerButNotTheImputationTower() {
        for (var target : ImputationTarget.values()) {
            var dr =
                    new DoublyRobustObjective(
                            new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                            new ImputationTowerImputation(target),
                            Normalisation.EXPOSURE_COUNT);
            assertThat(gradient(dr, Terms.CVR, TowerNames.IMPUTATION)).as(target.name()).isZero();
            assertThat(gradient(dr, Terms.CVR, TowerNames.CVR)).as(target.name()).isNotZero();
            assertThat(gradient(dr, Terms.CVR, TowerNames.CTR)).as(target.name()).isZero();
        }
    }

    @Test
    void aPseudoLabelOrHeuristicImputationTrainsTheCvrTowerOnUnclickedRows() {
        // With ê independent of r̂, DR's gradient in r̂ is IPW's; a pseudo-label adds the
        // (1 − o/p̂)·∂ê/∂r̂ of the unclicked rows.
        var ipw =
                new InversePropensityObjective(
                        new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                        Normalisation.EXPOSURE_COUNT);
        double ipwGradient = gradient(ipw, Terms.CVR, TowerNames.CVR);
        var error =
                new DoublyRobustObjective(
                        new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                        new ImputationTowerImputation(ImputationTarget.ERROR),
                        Normalisation.EXPOSURE_COUNT);
        assertThat(gradient(error, Terms.CVR, TowerNames.CVR))
                .isCloseTo(ipwGradient, within(1e-12));
        var pseudo =
                new DoublyRobustObjective(
                        new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                        new ImputationTowerImputation(ImputationTarget.PSEUDO_LABEL),
                        Normalisation.EXPOSURE_COUNT);
        var heuristic =
                new DoublyRobustObjective(
                        new CtrTowerPropensity(PropensityGradient.DETACHED, CLIP),
                        new HeuristicImputation(0.01),
                        Normalisation.EXPOSURE_COUNT);
        assertThat(Math.abs(gradient(pseudo, Terms.CVR, TowerNames.CVR) - ipwGradient))
                .isGreaterThan(1e-3);
        assertThat(Math.abs(gradient(heuristic, Terms.CVR, TowerNames.CVR) - ipwGradient))
                .isGreaterThan(1e-3);
    }

    @Test
    void theImputationLossTrainsOnlyTheImputationTower() {
        for (var target : ImputationTarget.values()) {
            var loss =
                    new ImputationLossObjective(
                            new CtrTowerPropensity(PropensityGradient.ATTACHED, CLIP),
                            new ImputationTowerImputation(target),
                            ImputationWeighting.doublyRobust());
            assertThat(gradient(loss, Terms.IMPUTATION, TowerNames.IMPUTATION))
                    .as(target.name())
                    .isNotZero();
            assertThat(gradient(loss, Terms.IMPUTATION, TowerNames.CVR)).as(target.name()).isZero();
            assertThat(gradient(loss, Terms.IMPUTATION, TowerNames.CTR)).as(target.name()).isZero();
        }
    }

    @Test
    void esmmTrainsBothTowersThroughTheCtcvrProduct() {
        var esmm = EsmmFactory.objective();
        assertThat(gradient(esmm, Terms.CTCVR, TowerNames.CVR)).isNotZero();
        assertThat(gradient(esmm, Terms.CTCVR, TowerNames.CTR)).isNotZero();
        assertThat(gradient(esmm, Terms.CTR, TowerNames.CVR)).isZero();
    }
}
