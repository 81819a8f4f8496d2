package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.ObjectiveValues;
import org.causalcvr.testkit.TestWorld;

/**
 * Theorem 2 for each estimator of the DR family here (MRDR, DR-BIAS, DR-MSE, ESCM²-DR's CVR part,
 * DR-V2): through each one's own main objective, its {@code cvr} term is unbiased for P when p̂ = p
 * (whatever ê), exact when ê = e (whatever p̂), and unbiased when ê is the one its own imputation
 * loss fits (on an independent draw) and p̂ = p. The power twin: p̂ = p/2 and ê = e/2 together give
 * eq. 7's bias of P/2, and the same test detects it in the same world.
 *
 * <p>False-alarm rate: α = 10⁻³ per decision (one-sample t-test, Commons Math), 5 estimators × 6
 * worlds per property (4 for the fitted imputation); seeds fixed, so a run is reproducible.
 */
class DoublyRobustFamilyProperties {
    static final List<String> FAMILY = List.of("mrdr", "dr-bias", "dr-mse", "escm2-dr", "dr-v2");

    @Provide
    Arbitrary<TestWorld> worlds() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(100, 300))
                .as((seed, n) -> TestWorld.confounded(new SplittableRandom(seed), n));
    }

    static Estimator estimator(String name) {
        return ExtraEstimatorsModule.factories().stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow()
                .create(Map.of());
    }

    /** e times a factor in [0.2, 2] drawn per pair: a poor imputation model. */
    private static double[] wrongImputation(TestWorld world, long seed) {
        var random = new SplittableRandom(seed);
        double[] e = world.errors();
        for (int i = 0; i < e.length; i++) {
            e[i] *= 0.2 + 1.8 * random.nextDouble();
        }
        return e;
    }

    /** p times a factor in [0.4, 0.8] drawn per pair: an under-confident click model. */
    private static double[] wrongPropensity(TestWorld world, long seed) {
        var random = new SplittableRandom(seed);
        double[] p = world.propensity();
        for (int i = 0; i < p.length; i++) {
            p[i] *= 0.4 + 0.4 * random.nextDouble();
        }
        return p;
    }

    private static double[] estimates(
            Estimator estimator, TestWorld world, double[] propensity, double[] imputed, int n) {
        var logits = ImputationFit.logits(world, propensity, imputed);
        var main = estimator.schedule().mainObjective();
        return world.replicate(
                MonteCarlo.replicates(n),
                20_220_711L,
                draw -> ObjectiveValues.inaccuracyEstimate(main, draw.withLogits(logits)));
    }

    private static void assertUnbiased(String what, double truth, double[] estimates) {
        assertThat(MonteCarlo.consistentWith(truth, estimates))
                .as("%s: %s", what, MonteCarlo.describe(truth, estimates))
                .isTrue();
        assertThat(Math.abs(MonteCarlo.mean(estimates) - truth))
                .as("%s: bias within 3%% of P", what)
                .isLessThanOrEqualTo(0.03 * truth);
    }

    @Property(tries = 6, seed = "20220711", shrinking = ShrinkingMode.OFF)
    void unbiasedWithTruePropensitiesWhateverTheImputation(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        for (String name : FAMILY) {
            double[] estimates =
                    estimates(
                            estimator(name),
                            world,
                            world.propensity(),
                            wrongImputation(world, 1),
                            1_000);
            assertUnbiased(name + ", p̂ = p, ê wrong", truth, estimates);
        }
    }

    @Property(tries = 6, seed = "20220711", shrinking = ShrinkingMode.OFF)
    void exactWithTrueImputedErrorsWhateverThePropensity(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        for (String name : FAMILY) {
            // ê + o·(e − ê)/p̂ = e for every row and every draw.
            for (double estimate :
                    estimates(
                            estimator(name),
                            world,
                            wrongPropensity(world, 2),
                            world.errors(),
                            100)) {
                assertThat(estimate).as(name + ", ê = e, p̂ wrong").isCloseTo(truth, within(1e-9));
            }
        }
    }

    @Property(tries = 4, seed = "20220711", shrinking = ShrinkingMode.OFF)
    void unbiasedWithTheImputationItsOwnLossFitsAndTruePropensities(
            @ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        double[] p = world.propensity();
        for (String name : FAMILY) {
            Estimator estimator = estimator(name);
            var random = new SplittableRandom(3);
            var ends = ImputationFit.ends(world, p);
            double[] estimates = new double[MonteCarlo.replicates(400)];
            for (int k = 0; k < estimates.length; k++) {
                double s = ImputationFit.fit(estimator, world, world.sampleClicks(random), ends);
                estimates[k] =
                        ImputationFit.estimate(estimator, world, world.sampleClicks(random), p, s);
            }
            assertUnbiased(name + ", p̂ = p, ê fitted by its own loss", truth, estimates);
        }
    }

    /** The power twin of the three properties above. */
    @Property(tries = 6, seed = "20220711", shrinking = ShrinkingMode.OFF)
    void bothWrongIsDetectedAsEquationSevenSays(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        for (String name : FAMILY) {
            // p̂ = p/2 (Δ = 1) and ê = e/2 (δ = e/2): eq. 7 gives a bias of P/2.
            double[] estimates =
                    estimates(
                            estimator(name),
                            world,
                            scaled(world.propensity(), 0.5),
                            scaled(world.errors(), 0.5),
                            1_000);
            assertThat(MonteCarlo.detectsDifference(truth, estimates))
                    .as("%s: %s", name, MonteCarlo.describe(truth, estimates))
                    .isTrue();
            assertThat(MonteCarlo.consistentWith(1.5 * truth, estimates))
                    .as("%s, eq. 7: %s", name, MonteCarlo.describe(1.5 * truth, estimates))
                    .isTrue();
        }
    }

    static double[] scaled(double[] x, double factor) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * factor;
        }
        return out;
    }
}
