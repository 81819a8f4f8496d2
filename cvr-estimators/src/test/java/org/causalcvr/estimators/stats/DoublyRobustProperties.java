package org.causalcvr.estimators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.TestWorld;

/**
 * Theorem 2 (eq. 11) and eq. 7: DR, through Multi-DR's objective, is unbiased when p̂ = p (whatever
 * ê) and exact when ê = e (whatever p̂); when both are wrong its mean is P + (1/|D|) Σ Δ·δ, which
 * the same test tells apart from P (the power twin of both).
 *
 * <p>False-alarm rate: α = 10⁻³ per world, at most 1% per property of 10 tries; seeds fixed.
 */
class DoublyRobustProperties {
    private static final Objective MULTI_DR =
            Worlds.estimator("multi-dr", Map.of()).schedule().mainObjective();

    @Provide
    Arbitrary<TestWorld> worlds() {
        return Worlds.confounded();
    }

    /** ê: e times a factor in [0.2, 2] drawn per pair (a poor imputation model). */
    private static double[] wrongImputation(TestWorld world, long seed) {
        var random = new SplittableRandom(seed);
        double[] e = world.errors();
        for (int i = 0; i < e.length; i++) {
            e[i] *= 0.2 + 1.8 * random.nextDouble();
        }
        return e;
    }

    /** p̂: p times a factor in [0.4, 0.8] drawn per pair (an under-confident click model). */
    private static double[] wrongPropensity(TestWorld world, long seed) {
        var random = new SplittableRandom(seed);
        double[] p = world.propensity();
        for (int i = 0; i < p.length; i++) {
            p[i] *= 0.4 + 0.4 * random.nextDouble();
        }
        return p;
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void drIsUnbiasedWithTruePropensitiesWhateverTheImputation(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        double[] estimates =
                Worlds.estimates(
                        world,
                        MULTI_DR,
                        Worlds.logits(world, world.propensity(), wrongImputation(world, 1)),
                        2_000);
        assertThat(MonteCarlo.consistentWith(truth, estimates))
                .as(MonteCarlo.describe(truth, estimates))
                .isTrue();
        assertThat(Math.abs(MonteCarlo.mean(estimates) - truth)).isLessThanOrEqualTo(0.03 * truth);
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void drIsExactWithTrueImputedErrorsWhateverThePropensity(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        // With ê = e every draw's estimate is P itself: ê + o·(e − ê)/p̂ = e for every row.
        double[] estimates =
                Worlds.estimates(
                        world,
                        MULTI_DR,
                        Worlds.logits(world, wrongPropensity(world, 2), world.errors()),
                        200);
        for (double estimate : estimates) {
            assertThat(estimate).isCloseTo(truth, within(1e-9));
        }
    }

    /** Eq. 7, and the power twin of the two properties above. */
    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void drBiasWhenBothAreWrongIsEquationSeven(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        double[] p = world.propensity();
        double[] e = world.errors();
        double[] pHat = wrongPropensity(world, 3);
        double[] eHat = wrongImputation(world, 4);
        double bias = 0;
        for (int i = 0; i < p.length; i++) {
            double delta = (p[i] - pHat[i]) / pHat[i];
            bias += delta * (e[i] - eHat[i]) / p.length;
        }
        double[] estimates =
                Worlds.estimates(world, MULTI_DR, Worlds.logits(world, pHat, eHat), 2_000);
        assertThat(MonteCarlo.consistentWith(truth + bias, estimates))
                .as("eq. 7: %s", MonteCarlo.describe(truth + bias, estimates))
                .isTrue();
        if (Math.abs(bias) > 6 * MonteCarlo.standardError(estimates)) {
            assertThat(MonteCarlo.detectsDifference(truth, estimates))
                    .as("power: %s", MonteCarlo.describe(truth, estimates))
                    .isTrue();
        }
    }

    /** The power twin always has a world where eq. 7's bias is large; check it is caught. */
    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void drWithBothWrongInTheSameDirectionIsCaught(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        // p̂ = p/2 (Δ = 1) and ê = e/2 (δ = e/2): eq. 7 gives a bias of P/2.
        double[] estimates =
                Worlds.estimates(
                        world,
                        MULTI_DR,
                        Worlds.logits(
                                world,
                                Worlds.scaled(world.propensity(), 0.5),
                                Worlds.scaled(world.errors(), 0.5)),
                        2_000);
        assertThat(MonteCarlo.detectsDifference(truth, estimates))
                .as(MonteCarlo.describe(truth, estimates))
                .isTrue();
        assertThat(MonteCarlo.consistentWith(1.5 * truth, estimates))
                .as(MonteCarlo.describe(1.5 * truth, estimates))
                .isTrue();
    }
}
