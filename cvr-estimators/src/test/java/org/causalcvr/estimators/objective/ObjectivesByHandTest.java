package org.causalcvr.estimators.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.imputation.HeuristicImputation;
import org.causalcvr.estimators.imputation.ImputationTarget;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.imputation.ImputationWeighting;
import org.causalcvr.estimators.imputation.NoImputation;
import org.causalcvr.estimators.kit.Rows;
import org.causalcvr.estimators.paper.EsmmFactory;
import org.causalcvr.estimators.propensity.ConstantPropensity;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.OraclePropensity;
import org.causalcvr.estimators.propensity.PropensityClipping;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.testkit.ObjectiveValues;
import org.junit.jupiter.api.Test;

/**
 * Every objective on a four-row batch, against the formula written out by hand with plain loops.
 */
class ObjectivesByHandTest {
    private static final double TOLERANCE = 1e-12;
    private static final DoubleOps OPS = DoubleOps.INSTANCE;

    private static final double[] O = {1, 1, 0, 1};
    private static final double[] R = {1, 0, 0, 0};
    private static final double[] R_HAT = {0.8, 0.3, 0.6, 0.5};
    private static final double[] P_HAT = {0.5, 0.25, 0.2, 0.8};
    private static final double[] E_HAT = {0.4, 0.2, 0.9, 0.1};
    private static final double[] W = {1, 2, 0.5, 4};

    private static final PropensityClipping NO_CLIP = PropensityClipping.floorAt(1e-6);
    private static final Propensity CTR =
            new CtrTowerPropensity(PropensityGradient.DETACHED, NO_CLIP);
    private static final ImputationTowerImputation IMPUTED_ERROR =
            new ImputationTowerImputation(ImputationTarget.ERROR);

    private static ObjectiveInput<double[]> batch() {
        var logits = new LinkedHashMap<String, double[]>();
        logits.put(TowerNames.CTR, ObjectiveValues.logits(P_HAT));
        logits.put(TowerNames.CVR, ObjectiveValues.logits(R_HAT));
        double[] z = new double[E_HAT.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = ImputationTowerImputation.logitForError(E_HAT[i]);
        }
        logits.put(TowerNames.IMPUTATION, z);
        return ObjectiveValues.inputFromLogits(O, R, logits, null);
    }

    private static ObjectiveInput<double[]> weightedBatch() {
        return batch().withRowWeights(W);
    }

    private static double ce(double y, double q) {
        return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    }

    private static double e(int i) {
        return ce(R[i], R_HAT[i]);
    }

    private static double value(Objective objective, ObjectiveInput<double[]> input) {
        return ObjectiveValues.total(objective, input);
    }

    private static double term(Objective o, ObjectiveInput<double[]> input, String name) {
        return OPS.value(o.loss(OPS, input).terms().get(name));
    }

    @Test
    void clickThroughIsTheMeanCrossEntropyOfClicksOverEveryExposure() {
        double expected = 0;
        double weighted = 0;
        for (int i = 0; i < 4; i++) {
            expected += ce(O[i], P_HAT[i]) / 4;
            weighted += W[i] * ce(O[i], P_HAT[i]) / 7.5;
        }
        var ctr = new ClickThroughObjective();
        assertThat(value(ctr, batch())).isCloseTo(expected, within(TOLERANCE));
        assertThat(value(ctr, weightedBatch())).isCloseTo(weighted, within(TOLERANCE));
        assertThat(ctr.loss(OPS, batch()).terms()).containsOnlyKeys(Terms.CTR);
        assertThat(ctr.towers()).containsExactly(TowerNames.CTR);
    }

    @Test
    void clickSpaceAveragesOverClickedRowsOnly() {
        double expected = (e(0) + e(1) + e(3)) / 3;
        assertThat(value(new ClickSpaceObjective(1), batch()))
                .isCloseTo(expected, within(TOLERANCE));
        double weighted = (W[0] * e(0) + W[1] * e(1) + W[3] * e(3)) / (W[0] + W[1] + W[3]);
        assertThat(value(new ClickSpaceObjective(1), weightedBatch()))
                .isCloseTo(weighted, within(TOLERANCE));
        assertThat(new ClickSpaceObjective(1).name()).isEqualTo("click-space");
    }

    @Test
    void oversamplingCountsEachConvertedClickKTimes() {
        double expected = (5 * e(0) + e(1) + e(3)) / 7;
        var objective = new ClickSpaceObjective(5);
        assertThat(value(objective, batch())).isCloseTo(expected, within(TOLERANCE));
        assertThat(objective.positiveWeight()).isEqualTo(5);
        assertThat(objective.name()).isEqualTo("oversampled-click-space");
        assertThatThrownBy(() -> new ClickSpaceObjective(0.5))
                .hasMessageContaining("0.5")
                .hasMessageContaining("[1, +inf)");
    }

    @Test
    void aBatchWithoutClicksHasAClickSpaceLossOfZero() {
        var input =
                ObjectiveValues.input(
                        new double[] {0, 0},
                        new double[] {0, 0},
                        Map.of(TowerNames.CVR, new double[] {0.3, 0.7}),
                        null);
        assertThat(value(new ClickSpaceObjective(1), input)).isZero();
    }

    @Test
    void esmmAddsTheCtrAndCtcvrLosses() {
        double ctr = 0;
        double ctcvr = 0;
        for (int i = 0; i < 4; i++) {
            ctr += ce(O[i], P_HAT[i]) / 4;
            ctcvr += ce(O[i] * R[i], P_HAT[i] * R_HAT[i]) / 4;
        }
        LossTerms<double[]> loss = EsmmFactory.objective().loss(OPS, batch());
        assertThat(loss.terms()).containsOnlyKeys(Terms.CTR, Terms.CTCVR);
        assertThat(OPS.value(loss.terms().get(Terms.CTR))).isCloseTo(ctr, within(TOLERANCE));
        assertThat(OPS.value(loss.terms().get(Terms.CTCVR))).isCloseTo(ctcvr, within(TOLERANCE));
        assertThat(OPS.value(loss.total())).isCloseTo(ctr + ctcvr, within(TOLERANCE));
        assertThat(ObjectiveValues.inaccuracyEstimate(EsmmFactory.objective(), batch()))
                .isCloseTo(ctr + ctcvr, within(TOLERANCE));
    }

    @Test
    void naiveImputationTakesUnclickedRowsAsNegatives() {
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += ce(O[i] * R[i], R_HAT[i]) / 4;
        }
        assertThat(value(new NaiveImputationObjective(), batch()))
                .isCloseTo(expected, within(TOLERANCE));
    }

    @Test
    void ipwDividesByThePropensityAndByTheExposureCount() {
        double sum = 0;
        double weightedSum = 0;
        for (int i = 0; i < 4; i++) {
            sum += O[i] * e(i) / P_HAT[i];
            weightedSum += W[i] * O[i] * e(i) / P_HAT[i];
        }
        var ipw = new InversePropensityObjective(CTR, Normalisation.EXPOSURE_COUNT);
        assertThat(value(ipw, batch())).isCloseTo(sum / 4, within(TOLERANCE));
        assertThat(value(ipw, weightedBatch())).isCloseTo(weightedSum / 7.5, within(TOLERANCE));
        assertThat(ipw.name()).isEqualTo("ipw");
        assertThat(ipw.towers()).containsExactlyInAnyOrder(TowerNames.CTR, TowerNames.CVR);
    }

    @Test
    void snipsDividesByTheSumOfTheClickedWeights() {
        double sum = 0;
        double weights = 0;
        double weightedSum = 0;
        double weightedWeights = 0;
        for (int i = 0; i < 4; i++) {
            sum += O[i] * e(i) / P_HAT[i];
            weights += O[i] / P_HAT[i];
            weightedSum += W[i] * O[i] * e(i) / P_HAT[i];
            weightedWeights += W[i] * O[i] / P_HAT[i];
        }
        var snips = new InversePropensityObjective(CTR, Normalisation.SELF_NORMALISED);
        assertThat(value(snips, batch())).isCloseTo(sum / weights, within(TOLERANCE));
        assertThat(value(snips, weightedBatch()))
                .isCloseTo(weightedSum / weightedWeights, within(TOLERANCE));
        assertThat(snips.name()).isEqualTo("snips");
    }

    @Test
    void drAddsTheImputedErrorAndTheWeightedCorrection() {
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < 4; i++) {
            double term = E_HAT[i] + O[i] * (e(i) - E_HAT[i]) / P_HAT[i];
            sum += term;
            weighted += W[i] * term;
        }
        var dr = new DoublyRobustObjective(CTR, IMPUTED_ERROR, Normalisation.EXPOSURE_COUNT);
        assertThat(value(dr, batch())).isCloseTo(sum / 4, within(1e-9));
        assertThat(value(dr, weightedBatch())).isCloseTo(weighted / 7.5, within(1e-9));
        assertThat(dr.loss(OPS, batch()).terms()).containsOnlyKeys(Terms.CVR);
        assertThat(dr.towers())
                .containsExactlyInAnyOrder(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION);
    }

    @Test
    void selfNormalisedDrNormalisesOnlyTheCorrection() {
        double imputed = 0;
        double correction = 0;
        double weights = 0;
        for (int i = 0; i < 4; i++) {
            imputed += E_HAT[i] / 4;
            correction += O[i] * (e(i) - E_HAT[i]) / P_HAT[i];
            weights += O[i] / P_HAT[i];
        }
        var dr = new DoublyRobustObjective(CTR, IMPUTED_ERROR, Normalisation.SELF_NORMALISED);
        assertThat(value(dr, batch())).isCloseTo(imputed + correction / weights, within(1e-9));
        assertThat(dr.name()).isEqualTo("self-normalised-dr");
    }

    @Test
    void drWithoutImputationIsIpw() {
        var dr =
                new DoublyRobustObjective(CTR, NoImputation.INSTANCE, Normalisation.EXPOSURE_COUNT);
        var ipw = new InversePropensityObjective(CTR, Normalisation.EXPOSURE_COUNT);
        assertThat(value(dr, batch())).isCloseTo(value(ipw, batch()), within(TOLERANCE));
    }

    @Test
    void heuristicImputationIsTheLossOfAPseudoLabelPositiveWithProbabilityEta() {
        double eta = 0.01;
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double imputed = ce(eta, R_HAT[i]);
            sum += imputed + O[i] * (e(i) - imputed) / P_HAT[i];
        }
        var dr =
                new DoublyRobustObjective(
                        CTR, new HeuristicImputation(eta), Normalisation.EXPOSURE_COUNT);
        assertThat(value(dr, batch())).isCloseTo(sum / 4, within(TOLERANCE));
        assertThatThrownBy(() -> new HeuristicImputation(1.0)).hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> new HeuristicImputation(0.0)).hasMessageContaining("(0, 1)");
    }

    @Test
    void aPseudoLabelImputationIsTheLossOfRHatAgainstTheTowersSoftLabel() {
        var pseudo = new ImputationTowerImputation(ImputationTarget.PSEUDO_LABEL);
        double[] imputed = pseudo.imputedError(OPS, batch(), new double[4]);
        double[] z = batch().outputs().get(TowerNames.IMPUTATION);
        for (int i = 0; i < 4; i++) {
            double s = 1 / (1 + Math.exp(-z[i]));
            assertThat(imputed[i]).isCloseTo(ce(s, R_HAT[i]), within(TOLERANCE));
        }
        assertThat(pseudo.towers())
                .containsExactlyInAnyOrder(TowerNames.IMPUTATION, TowerNames.CVR);
        assertThat(IMPUTED_ERROR.towers()).containsExactly(TowerNames.IMPUTATION);
    }

    @Test
    void theImputationLossIsTheWeightedSquaredErrorOfTheImputedError() {
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < 4; i++) {
            double d = e(i) - E_HAT[i];
            sum += O[i] * d * d / P_HAT[i];
            weighted += W[i] * O[i] * d * d / P_HAT[i];
        }
        var loss =
                new ImputationLossObjective(CTR, IMPUTED_ERROR, ImputationWeighting.doublyRobust());
        assertThat(value(loss, batch())).isCloseTo(sum / 4, within(1e-9));
        assertThat(value(loss, weightedBatch())).isCloseTo(weighted / 7.5, within(1e-9));
        assertThat(loss.loss(OPS, batch()).terms()).containsOnlyKeys(Terms.IMPUTATION);
        assertThat(loss.name()).isEqualTo("imputation");
    }

    @Test
    void softplusAndItsInverseAgreeAndStayFinite() {
        for (double e : new double[] {1e-6, 0.01, 0.5, 2, 16, 40}) {
            double z = ImputationTowerImputation.logitForError(e);
            double back = ImputationTowerImputation.softplus(OPS, new double[] {z})[0];
            assertThat(back).isCloseTo(e, within(1e-9 * Math.max(1, e)));
        }
        double[] extreme = ImputationTowerImputation.softplus(OPS, new double[] {-1e4, 0, 1e4});
        assertThat(extreme[0]).isEqualTo(0.0);
        assertThat(extreme[1]).isCloseTo(Math.log(2), within(TOLERANCE));
        assertThat(extreme[2]).isEqualTo(1e4);
        assertThatThrownBy(() -> ImputationTowerImputation.logitForError(0))
                .hasMessageContaining("(0, +inf)");
        assertThatThrownBy(() -> ImputationTowerImputation.logitForError(Double.POSITIVE_INFINITY))
                .hasMessageContaining("(0, +inf)");
    }

    @Test
    void crossEntropyIsClampedSoThatCertainWrongPredictionsStayFinite() {
        double[] ce =
                CrossEntropy.perRow(OPS, new double[] {1, 0, 1, 0}, new double[] {0, 1, 1, 0});
        double cap = -Math.log(CrossEntropy.EPSILON);
        assertThat(ce[0]).isCloseTo(cap, within(1e-9));
        assertThat(ce[1]).isCloseTo(cap, within(1e-6));
        assertThat(ce[2]).isCloseTo(CrossEntropy.EPSILON, within(1e-12));
        assertThat(ce[3]).isCloseTo(CrossEntropy.EPSILON, within(1e-12));
        assertThat(CrossEntropy.of(1, 0)).isCloseTo(cap, within(1e-9));
        assertThat(CrossEntropy.of(0, 0.25)).isCloseTo(-Math.log(0.75), within(TOLERANCE));
        assertThat(CrossEntropy.of(0.5, 0.5)).isCloseTo(Math.log(2), within(TOLERANCE));
    }

    @Test
    void sumObjectiveKeepsEveryTermInOrderAndAddsTheTotals() {
        var multiIpw =
                new SumObjective(
                        "multi-ipw",
                        List.of(
                                new ClickThroughObjective(),
                                new InversePropensityObjective(CTR, Normalisation.EXPOSURE_COUNT)));
        LossTerms<double[]> loss = multiIpw.loss(OPS, batch());
        assertThat(loss.terms().keySet()).containsExactly(Terms.CTR, Terms.CVR);
        assertThat(OPS.value(loss.total()))
                .isCloseTo(
                        term(multiIpw, batch(), Terms.CTR) + term(multiIpw, batch(), Terms.CVR),
                        within(TOLERANCE));
        assertThat(ObjectiveValues.inaccuracyEstimate(multiIpw, batch()))
                .isCloseTo(term(multiIpw, batch(), Terms.CVR), within(TOLERANCE));
        assertThat(ObjectiveValues.terms(multiIpw, batch()))
                .containsKeys(Terms.CTR, Terms.CVR, "total");
        assertThat(multiIpw.towers()).containsExactlyInAnyOrder(TowerNames.CTR, TowerNames.CVR);

        var twice =
                new SumObjective(
                        "twice", List.of(new ClickThroughObjective(), new ClickThroughObjective()));
        assertThatThrownBy(() -> twice.loss(OPS, batch()))
                .hasMessageContaining("two terms named 'ctr'");
        assertThatThrownBy(() -> new SumObjective("none", List.of()))
                .hasMessageContaining("no part");
    }

    // ----- declarations: names and the towers each part reads -----

    @Test
    void everyPartDeclaresItsNameAndTheTowersItReads() {
        var ipw = new InversePropensityObjective(CTR, Normalisation.EXPOSURE_COUNT);
        assertThat(ipw.propensity()).isSameAs(CTR);
        assertThat(ipw.normalisation()).isEqualTo(Normalisation.EXPOSURE_COUNT);
        assertThat(new ClickThroughObjective().name()).isEqualTo("ctr");
        assertThat(new ClickSpaceObjective(2).towers()).containsExactly(TowerNames.CVR);
        var esmm = EsmmFactory.objective();
        assertThat(esmm.name()).isEqualTo("esmm");
        assertThat(esmm.towers()).containsExactlyInAnyOrder(TowerNames.CTR, TowerNames.CVR);
        var naive = new NaiveImputationObjective();
        assertThat(naive.name()).isEqualTo("naive-imputation");
        assertThat(naive.towers()).containsExactly(TowerNames.CVR);
        assertThat(
                        new ImputationLossObjective(
                                        CTR, IMPUTED_ERROR, ImputationWeighting.doublyRobust())
                                .towers())
                .containsExactlyInAnyOrder(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION);
        assertThat(new SumObjective("multi-ipw", List.of(naive)).name()).isEqualTo("multi-ipw");
        assertThat(IMPUTED_ERROR.name()).isEqualTo("imputation-tower");
        assertThat(new ImputationTowerImputation(ImputationTarget.PSEUDO_LABEL).name())
                .isEqualTo("imputation-tower-pseudo-label");
        var heuristic = new HeuristicImputation(0.002);
        assertThat(heuristic.name()).isEqualTo("heuristic");
        assertThat(heuristic.towers()).containsExactly(TowerNames.CVR);
        assertThat(heuristic.eta()).isEqualTo(0.002);
        assertThat(NoImputation.INSTANCE.name()).isEqualTo("none");
        assertThat(NoImputation.INSTANCE.towers()).isEmpty();
        assertThat(NoImputation.INSTANCE.imputedError(OPS, batch(), new double[] {1, 2, 3, 4}))
                .containsOnly(0.0);
        assertThat(new ConstantPropensity(0.5).name()).isEqualTo("constant");
        assertThat(new ConstantPropensity(0.5).towers()).isEmpty();
        assertThat(new ConstantPropensity(1.0).value()).isEqualTo(1.0);
        var oracle = new OraclePropensity(NO_CLIP);
        assertThat(oracle.name()).isEqualTo("oracle");
        assertThat(oracle.clipping()).isEqualTo(NO_CLIP);
        var tower = new CtrTowerPropensity(PropensityGradient.DETACHED, NO_CLIP);
        assertThat(tower.gradient()).isEqualTo(PropensityGradient.DETACHED);
        assertThat(tower.clipping()).isEqualTo(NO_CLIP);
    }

    @Test
    void partsRejectMissingCollaborators() {
        var norm = Normalisation.EXPOSURE_COUNT;
        List<Runnable> constructions =
                List.of(
                        () -> new InversePropensityObjective(null, norm),
                        () -> new InversePropensityObjective(CTR, null),
                        () -> new DoublyRobustObjective(null, IMPUTED_ERROR, norm),
                        () -> new DoublyRobustObjective(CTR, null, norm),
                        () -> new DoublyRobustObjective(CTR, IMPUTED_ERROR, null),
                        () ->
                                new ImputationLossObjective(
                                        null, IMPUTED_ERROR, ImputationWeighting.doublyRobust()),
                        () ->
                                new ImputationLossObjective(
                                        CTR, null, ImputationWeighting.doublyRobust()),
                        () -> new CtrTowerPropensity(PropensityGradient.DETACHED, null),
                        () -> new OraclePropensity(null),
                        () -> new ImputationTowerImputation(null));
        for (Runnable construction : constructions) {
            assertThatThrownBy(construction::run).isInstanceOf(NullPointerException.class);
        }
        assertThatThrownBy(() -> new ClickSpaceObjective(Double.POSITIVE_INFINITY))
                .hasMessageContaining("[1, +inf)");
        assertThatThrownBy(() -> new ClickSpaceObjective(Double.NaN))
                .hasMessageContaining("[1, +inf)");
    }

    @Test
    void labelsOfUnclickedRowsNeverReachTheExposureSpaceLosses() {
        // A source that reports r = 1 for an unclicked exposure (the truth of synthetic data):
        // ESMM and naive imputation still train on the observed label o·r, which is 0 there.
        var leaky =
                ObjectiveValues.inputFromLogits(
                        O, new double[] {1, 0, 1, 0}, batch().outputs().logits(), null);
        assertThat(value(EsmmFactory.objective(), leaky))
                .isCloseTo(value(EsmmFactory.objective(), batch()), within(TOLERANCE));
        assertThat(value(new NaiveImputationObjective(), leaky))
                .isCloseTo(value(new NaiveImputationObjective(), batch()), within(TOLERANCE));
    }

    // ----- propensities and clipping -----

    @Test
    void anAbsoluteBoundClampsSmallPropensities() {
        double[] p = new PropensityClipping(0.3, 0, Double.POSITIVE_INFINITY).apply(OPS, P_HAT);
        assertThat(p).containsExactly(0.5, 0.3, 0.3, 0.8);
    }

    @Test
    void aPercentageBoundLiesThatFarFromTheBatchMinimumToItsMean() {
        double min = 0.2;
        double mean = (0.5 + 0.25 + 0.2 + 0.8) / 4;
        double tau = min + 0.5 * (mean - min);
        double[] p = new PropensityClipping(1e-6, 50, Double.POSITIVE_INFINITY).apply(OPS, P_HAT);
        assertThat(p[0]).isEqualTo(0.5);
        assertThat(p[1]).isCloseTo(tau, within(TOLERANCE));
        assertThat(p[2]).isCloseTo(tau, within(TOLERANCE));
        assertThat(p[3]).isEqualTo(0.8);
        double[] atMean =
                new PropensityClipping(1e-6, 100, Double.POSITIVE_INFINITY).apply(OPS, P_HAT);
        assertThat(atMean[2]).isCloseTo(mean, within(TOLERANCE));
        double[] off = new PropensityClipping(1e-6, 0, Double.POSITIVE_INFINITY).apply(OPS, P_HAT);
        assertThat(off).containsExactly(P_HAT);
    }

    @Test
    void aWeightCapIsAFloorAtItsInverse() {
        double[] p = new PropensityClipping(1e-6, 0, 2.0).apply(OPS, P_HAT);
        assertThat(p).containsExactly(0.5, 0.5, 0.5, 0.8);
        assertThat(new PropensityClipping(0.1, 0, 4.0).lowerBound(0.0, 0.5)).isEqualTo(0.25);
        assertThat(new PropensityClipping(0.3, 0, 4.0).lowerBound(0.0, 0.5)).isEqualTo(0.3);
        assertThat(new PropensityClipping(0.01, 10, 4.0).lowerBound(0.0, 0.5)).isEqualTo(0.25);
        assertThat(new PropensityClipping(0.01, 80, 4.0).lowerBound(0.0, 0.5))
                .isCloseTo(0.4, within(TOLERANCE));
        assertThat(new PropensityClipping(0.01, 80, 4.0).lowerBound(Double.NaN, Double.NaN))
                .isEqualTo(0.25);
        assertThat(new PropensityClipping(1.0, 0, 4.0).lowerBound(0.0, 0.5)).isEqualTo(1.0);
    }

    @Test
    void clippingRejectsBoundsOutsideTheirRanges() {
        assertThatThrownBy(() -> new PropensityClipping(0, 0, 2)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new PropensityClipping(1.5, 0, 2)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new PropensityClipping(0.1, -1, 2))
                .hasMessageContaining("[0, 100]");
        assertThatThrownBy(() -> new PropensityClipping(0.1, 100.5, 2))
                .hasMessageContaining("[0, 100]");
        assertThatThrownBy(() -> new PropensityClipping(0.1, 0, 0.5))
                .hasMessageContaining("[1, +inf]");
        assertThat(new PropensityClipping(1.0, 100, 1.0).floor()).isEqualTo(1.0);
    }

    @Test
    void theOracleReadsTheTruePropensityAndNeedsIt() {
        var oracle = new OraclePropensity(PropensityClipping.floorAt(0.3));
        var input = batch().withTruePropensity(new double[] {0.9, 0.1, 0.5, 1.0});
        assertThat(oracle.propensity(OPS, input)).containsExactly(0.9, 0.3, 0.5, 1.0);
        assertThat(oracle.towers()).isEmpty();
        assertThatThrownBy(() -> oracle.propensity(OPS, batch()))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("oracle")
                .hasMessageContaining("true_propensity");
    }

    @Test
    void theCtrTowerPropensityIsTheClippedSigmoidOfItsLogits() {
        var tower =
                new CtrTowerPropensity(
                        PropensityGradient.ATTACHED, PropensityClipping.floorAt(0.3));
        double[] p = tower.propensity(OPS, batch());
        assertThat(p[0]).isCloseTo(0.5, within(TOLERANCE));
        assertThat(p[1]).isEqualTo(0.3);
        assertThat(p[3]).isCloseTo(0.8, within(TOLERANCE));
        assertThat(tower.towers()).containsExactly(TowerNames.CTR);
        assertThat(tower.gradient()).isEqualTo(PropensityGradient.ATTACHED);
        assertThat(tower.name()).isEqualTo("ctr-tower");
    }

    @Test
    void aConstantPropensityIsTheSameForEveryRow() {
        assertThat(new ConstantPropensity(0.25).propensity(OPS, batch()))
                .containsExactly(0.25, 0.25, 0.25, 0.25);
        assertThat(ConstantPropensity.ONE.value()).isEqualTo(1.0);
        assertThatThrownBy(() -> new ConstantPropensity(0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new ConstantPropensity(1.01)).hasMessageContaining("(0, 1]");
    }

    // ----- the guard on weights -----

    /** A propensity that returns what it is told (as a broken third-party one might). */
    private record FixedPropensity(double[] values) implements Propensity {
        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public Set<String> towers() {
            return Set.of();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
            return (T) values.clone();
        }
    }

    @Test
    void aZeroPropensityReachingAWeightThrowsNamingTheTerm() {
        var zero = new FixedPropensity(new double[] {0.5, 0.0, 0.2, 0.8});
        assertThatThrownBy(
                        () ->
                                value(
                                        new InversePropensityObjective(
                                                zero, Normalisation.EXPOSURE_COUNT),
                                        batch()))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("Objective 'ipw', term 'cvr'")
                .hasMessageContaining("propensity of 0.0")
                .hasMessageContaining("(0, 1]")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(
                        () ->
                                value(
                                        new ImputationLossObjective(
                                                zero,
                                                IMPUTED_ERROR,
                                                ImputationWeighting.doublyRobust()),
                                        batch()))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("term 'imputation'");
        assertThatThrownBy(
                        () ->
                                value(
                                        new DoublyRobustObjective(
                                                zero, IMPUTED_ERROR, Normalisation.SELF_NORMALISED),
                                        batch()))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("Objective 'self-normalised-dr', term 'cvr'");
    }

    @Test
    void aNanOrNegativeOrSubnormalPropensityThrowsToo() {
        for (double bad : new double[] {Double.NaN, -0.5, Double.MIN_VALUE}) {
            var broken = new FixedPropensity(new double[] {0.5, bad, 0.2, 0.8});
            assertThatThrownBy(
                            () ->
                                    value(
                                            new InversePropensityObjective(
                                                    broken, Normalisation.SELF_NORMALISED),
                                            batch()))
                    .as("p̂ = %s", bad)
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("term 'cvr'");
        }
        var nanLogits = new LinkedHashMap<>(batch().outputs().logits());
        nanLogits.put(TowerNames.CTR, new double[] {0, Double.NaN, 0, 0});
        var input = ObjectiveValues.inputFromLogits(O, R, nanLogits, null);
        assertThatThrownBy(
                        () ->
                                value(
                                        new InversePropensityObjective(
                                                new CtrTowerPropensity(
                                                        PropensityGradient.DETACHED,
                                                        new PropensityClipping(0.01, 50, 100)),
                                                Normalisation.EXPOSURE_COUNT),
                                        input))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("NaN");
    }

    @Test
    void weightsAreTheInverseOfTheirPropensities() {
        assertThat(InverseWeights.of(OPS, new double[] {0.5, 0.25, 1.0}, "x", "y"))
                .containsExactly(2.0, 4.0, 1.0);
        assertThat(InverseWeights.of(OPS, new double[] {1e-300}, "x", "y")[0])
                .isCloseTo(1e300, withinPercentage(1e-9));
    }

    @Test
    void rowsReduceWithAndWithoutWeights() {
        double[] x = {1, 2, 3, 4};
        assertThat(OPS.value(Rows.mean(OPS, batch(), x))).isEqualTo(2.5);
        assertThat(OPS.value(Rows.mean(OPS, weightedBatch(), x)))
                .isCloseTo((1 + 4 + 1.5 + 16) / 7.5, within(TOLERANCE));
        assertThat(OPS.value(Rows.sum(OPS, weightedBatch(), x))).isEqualTo(22.5);
        assertThat(OPS.value(Rows.ratio(OPS, new double[] {0}, new double[] {0}))).isZero();
        assertThat(OPS.value(Rows.ratio(OPS, new double[] {3}, new double[] {2}))).isEqualTo(1.5);
    }
}
