package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.extra.objective.SemiSupervisedCvrObjective;
import org.causalcvr.estimators.objective.CrossEntropy;
import org.causalcvr.testkit.DualOps;
import org.causalcvr.testkit.DualOps.Dual;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.ObjectiveValues;
import org.junit.jupiter.api.Test;

/**
 * NISE's loss: where every exposure is clicked it trains the CVR tower as the naive model does;
 * every term is non-negative and the weight within its bounds; the pseudo-label term pushes each
 * unclicked prediction away from 1/2, so an unclicked likely converter is pushed up where ESMM
 * pushes it down; the weight is α·min(ctr/cvr, β) and carries no gradient; its estimate of P is
 * unbiased exactly when the model is calibrated on the unclicked rows; the confidence mask leaves
 * out exactly the undecided unclicked rows; and, trained from a CVR tower a little above 1/2 (where
 * the demo's seed 2 started), the authors' loss settles at r̂ ≈ 1 while the default one does not.
 */
class NiseProperties {
    private static final CvrRuntime RUNTIME = CvrRuntime.load();
    private static final Estimator BASE = RUNTIME.estimator("base").create(Map.of());
    private static final Estimator ESMM = RUNTIME.estimator("esmm").create(Map.of());
    private static final String CLICKED = SemiSupervisedCvrObjective.CLICKED_TERM;
    private static final String PSEUDO = SemiSupervisedCvrObjective.PSEUDO_LABEL_TERM;
    private static final String WEIGHT = SemiSupervisedCvrObjective.WEIGHT_TERM;
    private static final String PSEUDO_ROWS = SemiSupervisedCvrObjective.CONFIDENT_TERM;

    /** The authors' loss: every unclicked row's pseudo-label counts (τ = 1/2). */
    private static final Map<String, String> AUTHORS = Map.of("pseudo-label-confidence", "0.5");

    private static Estimator nise(Map<String, String> settings) {
        return RUNTIME.estimator("nise").create(settings);
    }

    private static Objective main(Estimator estimator) {
        return estimator.schedule().mainObjective();
    }

    @Test
    void whereEveryExposureIsClickedItTrainsTheCvrTowerAsTheNaiveModelDoes() {
        var random = new SplittableRandom(31);
        Estimator nise = nise(Map.of());
        for (int trial = 0; trial < 10; trial++) {
            Batch batch = allClicked(Batch.random(random, 30));
            Map<String, Double> terms = batch.terms(main(nise));
            Map<String, Double> base = batch.terms(main(BASE));
            assertThat(terms.get(PSEUDO)).isZero();
            assertThat(terms.get("cvr")).isCloseTo(base.get("cvr"), within(1e-12));
            double w = terms.get(WEIGHT);
            assertThat(w).isPositive();
            double[] mine = gradient(main(nise), batch, TowerNames.CVR, "total");
            double[] naive = gradient(main(BASE), batch, TowerNames.CVR, "cvr");
            for (int i = 0; i < mine.length; i++) {
                assertThat(mine[i]).as("row %d", i).isCloseTo(w * naive[i], within(1e-12));
            }
        }
    }

    @Test
    void withoutPseudoLabelsTheCvrGradientIsTheNaiveModelsScaledAndZeroOnUnclickedRows() {
        var random = new SplittableRandom(32);
        Estimator ablation = nise(Map.of("pseudo-label-weight", "0"));
        for (int trial = 0; trial < 10; trial++) {
            Batch batch = Batch.random(random, 30);
            double clicked = Batch.mean(batch.clicks());
            double w = batch.terms(main(ablation)).get(WEIGHT);
            double[] mine = gradient(main(ablation), batch, TowerNames.CVR, "total");
            double[] naive = gradient(main(BASE), batch, TowerNames.CVR, "cvr");
            for (int i = 0; i < mine.length; i++) {
                // base averages over the clicks, NISE over the exposures: a factor |O|/|D|.
                assertThat(mine[i])
                        .as("row %d", i)
                        .isCloseTo(w * clicked * naive[i], within(1e-12));
                if (batch.clicks()[i] == 0) {
                    assertThat(mine[i]).isZero();
                }
            }
        }
    }

    @Property(tries = 200)
    void everyTermIsNonNegativeAndTheWeightWithinItsBounds(
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed,
            @ForAll @DoubleRange(min = 0.1, max = 5) double alpha,
            @ForAll @DoubleRange(min = 0.5, max = 100) double beta,
            @ForAll @DoubleRange(min = 0, max = 3) double gamma,
            @ForAll @DoubleRange(min = 0.5, max = 0.99) double tau) {
        var random = new SplittableRandom(seed);
        int n = 1 + random.nextInt(40);
        double[] extremes = {-60, -17, -3, -0.5, 0, 0.5, 3, 17, 60};
        double[] o = new double[n];
        double[] r = new double[n];
        var logits = new LinkedHashMap<String, double[]>();
        double[] ctr = new double[n];
        double[] cvr = new double[n];
        for (int i = 0; i < n; i++) {
            o[i] = random.nextBoolean() ? 1 : 0;
            r[i] = o[i] * (random.nextBoolean() ? 1 : 0);
            ctr[i] = extremes[random.nextInt(extremes.length)] * random.nextDouble();
            cvr[i] = extremes[random.nextInt(extremes.length)] * random.nextDouble();
        }
        logits.put(TowerNames.CTR, ctr);
        logits.put(TowerNames.CVR, cvr);
        Map<String, String> settings =
                Map.of(
                        "cvr-weight-scale", String.valueOf(alpha),
                        "cvr-weight-cap", String.valueOf(beta),
                        "pseudo-label-weight", String.valueOf(gamma),
                        "pseudo-label-confidence", String.valueOf(tau));
        Map<String, Double> terms =
                ObjectiveValues.terms(
                        main(nise(settings)), ObjectiveValues.inputFromLogits(o, r, logits, null));
        terms.forEach((name, value) -> assertThat(value).as(name).isFinite().isNotNegative());
        assertThat(terms.get(WEIGHT)).isLessThanOrEqualTo(alpha * beta * (1 + 1e-12));
        assertThat(terms.get("total")).isGreaterThanOrEqualTo(terms.get("ctr"));
        assertThat(terms.get("cvr"))
                .isCloseTo(terms.get(CLICKED) + terms.get(PSEUDO), within(1e-12));
        assertThat(terms.get(PSEUDO_ROWS)).isLessThanOrEqualTo(1 - Batch.mean(o) + 1e-12);
    }

    @Test
    void thePseudoLabelTermPushesEachUnclickedPredictionAwayFromOneHalf() {
        double[] z = {-2.5, -0.4, 0.0, 0.3, 1.7, 4.0, -1.0, 2.0};
        double[] o = {0, 0, 0, 0, 0, 0, 1, 1};
        double[] r = {0, 0, 0, 0, 0, 0, 0, 1};
        Batch batch = batch(o, r, z);
        double[] pseudo = gradient(main(nise(AUTHORS)), batch, TowerNames.CVR, PSEUDO);
        double[] clicked = gradient(main(nise(AUTHORS)), batch, TowerNames.CVR, CLICKED);
        int n = z.length;
        for (int i = 0; i < n; i++) {
            double q = sigmoid(z[i]);
            if (o[i] == 0) {
                // d H(σ(z)) / dz = −z·σ(z)(1 − σ(z)): descent moves z away from 0.
                assertThat(pseudo[i]).isCloseTo(-z[i] * q * (1 - q) / n, within(1e-12));
                assertThat(Math.signum(pseudo[i])).isEqualTo(-Math.signum(z[i]));
                assertThat(clicked[i]).isZero();
            } else {
                assertThat(pseudo[i]).isZero();
                assertThat(clicked[i]).isCloseTo((q - r[i]) / n, within(1e-12));
            }
        }
    }

    @Test
    void whereEsmmPushesAnUnclickedLikelyConverterDownNisePushesItUp() {
        // Row 0 is unclicked with r̂ = 0.8; row 1 is a clicked conversion, so both losses are
        // defined; both towers are read, the CTR tower at p̂ = 0.3.
        double[] o = {0, 1};
        double[] r = {0, 1};
        double[] z = {Math.log(4), 0.5};
        Batch batch = batch(o, r, z);
        double nise = gradient(main(nise(AUTHORS)), batch, TowerNames.CVR, "total")[0];
        double esmm = gradient(main(ESMM), batch, TowerNames.CVR, "total")[0];
        assertThat(esmm).as("ESMM: o·r = 0 is a negative label").isPositive();
        assertThat(nise).as("NISE: its own pseudo-label 0.8").isNegative();
    }

    @Test
    void theWeightIsAlphaTimesTheCappedRatioAndTrainsNoTower() {
        var random = new SplittableRandom(33);
        for (double beta : new double[] {0.2, 50}) {
            Estimator nise =
                    nise(
                            Map.of(
                                    "cvr-weight-scale",
                                    "0.5",
                                    "cvr-weight-cap",
                                    String.valueOf(beta),
                                    "pseudo-label-confidence",
                                    "0.5"));
            for (int trial = 0; trial < 10; trial++) {
                Batch batch = Batch.random(random, 25);
                int n = batch.size();
                double ctr = 0;
                double clicked = 0;
                double pseudo = 0;
                for (int i = 0; i < n; i++) {
                    double q = batch.prediction()[i];
                    ctr += CrossEntropy.of(batch.clicks()[i], batch.propensity()[i]) / n;
                    clicked += batch.clicks()[i] * CrossEntropy.of(batch.conversions()[i], q) / n;
                    pseudo += (1 - batch.clicks()[i]) * CrossEntropy.of(q, q) / n;
                }
                double w = 0.5 * Math.min(ctr / (clicked + pseudo), beta);
                Map<String, Double> terms = batch.terms(main(nise));
                assertThat(terms.get("ctr")).isCloseTo(ctr, within(1e-12));
                assertThat(terms.get(CLICKED)).isCloseTo(clicked, within(1e-12));
                assertThat(terms.get(PSEUDO)).isCloseTo(pseudo, within(1e-12));
                assertThat(terms.get(WEIGHT)).isCloseTo(w, within(1e-12));
                assertThat(terms.get("total"))
                        .isCloseTo(ctr + w * (clicked + pseudo), within(1e-12));
                double[] ctrTotal = gradient(main(nise), batch, TowerNames.CTR, "total");
                double[] ctrAlone = gradient(main(nise), batch, TowerNames.CTR, "ctr");
                double[] cvrTotal = gradient(main(nise), batch, TowerNames.CVR, "total");
                double[] cvrAlone = gradient(main(nise), batch, TowerNames.CVR, "cvr");
                for (int i = 0; i < n; i++) {
                    assertThat(ctrTotal[i]).isCloseTo(ctrAlone[i], within(1e-12));
                    assertThat(cvrTotal[i]).isCloseTo(w * cvrAlone[i], within(1e-12));
                }
            }
        }
    }

    @Test
    void itsEstimateIsUnbiasedWhenTheModelIsCalibratedAndBiasedWhenItIsNot() {
        var random = new SplittableRandom(34);
        int n = 200;
        double[] p = new double[n];
        double[] rHat = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.02 + 0.5 * random.nextDouble();
            rHat[i] = 0.05 + 0.6 * random.nextDouble();
        }
        Estimator nise = nise(AUTHORS);
        int replicates = MonteCarlo.replicates(1_000);
        double[] calibrated = errorOfEstimate(nise, p, rHat, 1.0, replicates, 35);
        assertThat(MonteCarlo.consistentWith(0, calibrated))
                .as("calibrated: %s", MonteCarlo.describe(0, calibrated))
                .isTrue();
        double[] overconfident = errorOfEstimate(nise, p, rHat, 0.5, replicates, 36);
        assertThat(MonteCarlo.detectsDifference(0, overconfident))
                .as("true rate r̂/2: %s", MonteCarlo.describe(0, overconfident))
                .isTrue();
    }

    @Test
    void theConfidenceMaskLeavesOutExactlyTheUndecidedUnclickedRows() {
        double tau = 0.9;
        double threshold = Math.log(tau / (1 - tau));
        double[] z = {-4.0, -2.3, -2.1, -0.3, 0.0, 0.4, 2.1, 2.3, 5.0, -1.0, 3.0};
        double[] o = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        double[] r = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        Batch batch = batch(o, r, z);
        Objective masked = main(nise(Map.of("pseudo-label-confidence", String.valueOf(tau))));
        Objective every = main(nise(AUTHORS));
        double[] mine = gradient(masked, batch, TowerNames.CVR, PSEUDO);
        double[] authors = gradient(every, batch, TowerNames.CVR, PSEUDO);
        int n = z.length;
        double pseudo = 0;
        double counted = 0;
        for (int i = 0; i < n; i++) {
            double q = sigmoid(z[i]);
            boolean confident = Math.max(q, 1 - q) > tau;
            assertThat(confident).isEqualTo(Math.abs(z[i]) > threshold);
            if (o[i] == 0 && confident) {
                assertThat(mine[i]).as("row %d", i).isCloseTo(authors[i], within(1e-15));
                assertThat(mine[i]).as("row %d", i).isNotZero();
                pseudo += CrossEntropy.of(q, q) / n;
                counted += 1.0 / n;
            } else {
                assertThat(mine[i]).as("row %d", i).isZero();
            }
        }
        Map<String, Double> terms = batch.terms(masked);
        assertThat(terms.get(PSEUDO)).isCloseTo(pseudo, within(1e-12));
        assertThat(terms.get(PSEUDO_ROWS)).isCloseTo(counted, within(1e-12));
        assertThat(terms.get("cvr")).isCloseTo(terms.get(CLICKED) + pseudo, within(1e-12));
    }

    @Test
    void fromAnUndecidedStartTheAuthorsLossSettlesAtOneAndTheMaskedLossDoesNot() {
        // The demo's world in miniature: CTR 5%, a post-click CVR of 5%, and a CVR tower whose
        // logits start a little above 0 (r̂ ≈ 0.57), where the first steps of the demo's seed 2
        // left it. The tower is one shared logit b plus a fixed offset per row; plain gradient
        // descent on b.
        var random = new SplittableRandom(37);
        int n = 400;
        double[] o = new double[n];
        double[] r = new double[n];
        double[] offset = new double[n];
        double[] ctrLogits = new double[n];
        for (int i = 0; i < n; i++) {
            o[i] = i % 20 == 0 ? 1 : 0;
            r[i] = i == 0 ? 1 : 0;
            offset[i] = 0.2 * (random.nextDouble() - 0.5);
            ctrLogits[i] = Math.log(0.05 / 0.95);
        }
        double clickedRate = 1.0 / 20;
        double authors = trainedMeanPrediction(nise(AUTHORS), o, r, offset, ctrLogits, 0.3);
        double masked = trainedMeanPrediction(nise(Map.of()), o, r, offset, ctrLogits, 0.3);
        assertThat(authors).as("authors' loss: every row driven to r̂ ≈ 1").isGreaterThan(0.9);
        assertThat(masked).as("masked: below the clicked rows' rate").isLessThan(clickedRate);
        // From below the unstable point both go the same way.
        double authorsLow = trainedMeanPrediction(nise(AUTHORS), o, r, offset, ctrLogits, -0.5);
        assertThat(authorsLow).isLessThan(clickedRate);
    }

    /** Mean r̂ after 400 steps of gradient descent on the shared CVR logit b, from {@code b0}. */
    private static double trainedMeanPrediction(
            Estimator nise,
            double[] o,
            double[] r,
            double[] offset,
            double[] ctrLogits,
            double b0) {
        int n = o.length;
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        double b = b0;
        double[] z = new double[n];
        for (int step = 0; step < 400; step++) {
            for (int i = 0; i < n; i++) {
                z[i] = b + offset[i];
            }
            var logits = new LinkedHashMap<String, Dual>();
            logits.put(TowerNames.CTR, Dual.constant(ctrLogits));
            logits.put(TowerNames.CVR, new Dual(z.clone(), ones));
            var input =
                    ObjectiveInput.of(
                            Dual.constant(o), Dual.constant(r), new TowerOutputs<>(logits));
            double slope =
                    DualOps.INSTANCE.derivative(main(nise).loss(DualOps.INSTANCE, input).total());
            b -= 5.0 * slope;
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += sigmoid(b + offset[i]) / n;
        }
        return mean;
    }

    /**
     * Estimate − P over draws of a world where r ~ Bernoulli(scale·r̂) for every exposure and o ~
     * Bernoulli(p) independently of r; P = (1/|D|) Σ CE(r, r̂) of the draw.
     */
    private static double[] errorOfEstimate(
            Estimator nise, double[] p, double[] rHat, double scale, int replicates, long seed) {
        var random = new SplittableRandom(seed);
        int n = p.length;
        double[] out = new double[replicates];
        for (int k = 0; k < replicates; k++) {
            double[] o = new double[n];
            double[] r = new double[n];
            double truth = 0;
            for (int i = 0; i < n; i++) {
                double conversion = random.nextDouble() < scale * rHat[i] ? 1 : 0;
                o[i] = random.nextDouble() < p[i] ? 1 : 0;
                r[i] = o[i] * conversion;
                truth += CrossEntropy.of(conversion, rHat[i]) / n;
            }
            var input =
                    ObjectiveValues.input(
                            o, r, Map.of(TowerNames.CTR, p, TowerNames.CVR, rHat), null);
            out[k] = ObjectiveValues.inaccuracyEstimate(main(nise), input) - truth;
        }
        return out;
    }

    /** d(term)/d(logit i of {@code tower}) for every row i, by forward-mode derivatives. */
    private static double[] gradient(Objective objective, Batch batch, String tower, String term) {
        ObjectiveInput<double[]> plain = batch.input();
        int n = batch.size();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            var logits = new LinkedHashMap<String, Dual>();
            for (var entry : plain.outputs().logits().entrySet()) {
                double[] direction = new double[n];
                if (entry.getKey().equals(tower)) {
                    direction[i] = 1;
                }
                logits.put(entry.getKey(), new Dual(entry.getValue(), direction));
            }
            var input =
                    ObjectiveInput.of(
                            Dual.constant(batch.clicks()),
                            Dual.constant(batch.conversions()),
                            new TowerOutputs<>(logits));
            LossTerms<Dual> loss = objective.loss(DualOps.INSTANCE, input);
            Dual value = term.equals("total") ? loss.total() : loss.terms().get(term);
            out[i] = DualOps.INSTANCE.derivative(value) + 0.0;
        }
        return out;
    }

    private static Batch allClicked(Batch batch) {
        double[] o = new double[batch.size()];
        double[] r = new double[batch.size()];
        var random = new SplittableRandom(batch.size());
        for (int i = 0; i < o.length; i++) {
            o[i] = 1;
            r[i] = random.nextDouble() < 0.4 ? 1 : 0;
        }
        return new Batch(o, r, batch.propensity(), batch.prediction(), batch.imputed());
    }

    private static Batch batch(double[] o, double[] r, double[] cvrLogits) {
        int n = o.length;
        double[] p = new double[n];
        double[] q = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.3;
            q[i] = sigmoid(cvrLogits[i]);
            e[i] = 0.5;
        }
        return new Batch(o, r, p, q, e);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
