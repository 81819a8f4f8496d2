package org.causalcvr.estimators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.TestWorld;

/**
 * The IPW bound trades variance for bias, in the direction the math says: with p̂ = p clamped from
 * below at τ, E[IPW] = (1/|D|) Σ e·p/max(p, τ) &lt; P (an under-estimate), and E[DR] = P + (1/|D|)
 * Σ (p/max(p, τ) − 1)·(e − ê), below P when ê &lt; e and above it when ê &gt; e.
 *
 * <p>False-alarm rate: α = 10⁻³ per check and world; seeds fixed.
 */
class ClippingProperties {
    @Provide
    Arbitrary<TestWorld> worlds() {
        return Worlds.confounded();
    }

    private static double clippedExpectation(TestWorld world, double tau, double[] imputed) {
        double[] p = world.propensity();
        double[] e = world.errors();
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            double kept = p[i] / Math.max(p[i], tau);
            sum += imputed == null ? e[i] * kept : imputed[i] + kept * (e[i] - imputed[i]);
        }
        return sum / p.length;
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void anAbsoluteBoundMakesIpwUnderEstimate(@ForAll("worlds") TestWorld world) {
        double tau = 0.3;
        Objective clipped =
                Worlds.estimator("multi-ipw", Map.of("ipw-bound", String.valueOf(tau)))
                        .schedule()
                        .mainObjective();
        double truth = world.trueInaccuracy();
        double expected = clippedExpectation(world, tau, null);
        double[] estimates =
                Worlds.estimates(
                        world, clipped, Worlds.logits(world, world.propensity(), null), 2_000);
        assertThat(expected).isLessThan(truth);
        assertThat(MonteCarlo.consistentWith(expected, estimates))
                .as("E = (1/|D|) Σ e·p/max(p, τ): %s", MonteCarlo.describe(expected, estimates))
                .isTrue();
        assertThat(MonteCarlo.detectsDifference(truth, estimates))
                .as("biased below P: %s", MonteCarlo.describe(truth, estimates))
                .isTrue();
        assertThat(MonteCarlo.mean(estimates)).isLessThan(truth);
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void aPercentageBoundIsTheSameFloorPlacedBetweenMinimumAndMean(
            @ForAll("worlds") TestWorld world) {
        double percent = 60;
        double[] p = world.propensity();
        double min = Arrays.stream(p).min().orElseThrow();
        double tau = min + percent / 100 * (world.meanPropensity() - min);
        Objective clipped =
                Worlds.estimator("multi-ipw", Map.of("ipw-bound-pct", String.valueOf(percent)))
                        .schedule()
                        .mainObjective();
        double expected = clippedExpectation(world, tau, null);
        double[] estimates = Worlds.estimates(world, clipped, Worlds.logits(world, p, null), 2_000);
        assertThat(MonteCarlo.consistentWith(expected, estimates))
                .as("τ = %.4f: %s", tau, MonteCarlo.describe(expected, estimates))
                .isTrue();
        assertThat(MonteCarlo.mean(estimates)).isLessThan(world.trueInaccuracy());
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void aBoundBiasesDrTowardsItsImputation(@ForAll("worlds") TestWorld world) {
        double cap = 4; // max-weight 4: p̂ floored at 0.25
        Objective clipped =
                Worlds.estimator("multi-dr", Map.of("max-weight", String.valueOf(cap)))
                        .schedule()
                        .mainObjective();
        double truth = world.trueInaccuracy();
        for (double factor : new double[] {0.3, 3.0}) {
            double[] imputed = Worlds.scaled(world.errors(), factor);
            double expected = clippedExpectation(world, 1 / cap, imputed);
            double[] estimates =
                    Worlds.estimates(
                            world,
                            clipped,
                            Worlds.logits(world, world.propensity(), imputed),
                            2_000);
            assertThat(MonteCarlo.consistentWith(expected, estimates))
                    .as("ê = %.1f·e: %s", factor, MonteCarlo.describe(expected, estimates))
                    .isTrue();
            assertThat(Math.signum(MonteCarlo.mean(estimates) - truth))
                    .as("ê = %.1f·e moves the estimate towards ê", factor)
                    .isEqualTo(Math.signum(factor - 1));
        }
    }
}
