package org.causalcvr.estimators.stats;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Theorem 1 (eqs. 5, 9): IPW with p̂ = p is unbiased for P; its twin shows that the same test
 * catches IPW with a propensity that ignores the click process.
 *
 * <p>Each try is one confounded world, 2,000 replicates (20,000 extended). A check of an unbiased
 * estimator fails with probability at most α = 10⁻³ per world, so at most 1% per property of 10
 * tries; the seeds are fixed, so a run is reproducible.
 */
class InversePropensityProperties {
    private static final Objective MULTI_IPW =
            Worlds.estimator("multi-ipw", Map.of()).schedule().mainObjective();
    private static final Objective NAIVE_IPW_ORACLE =
            Worlds.estimator("naive-ipw", Map.of("propensity", "oracle"))
                    .schedule()
                    .mainObjective();

    @Provide
    Arbitrary<TestWorld> worlds() {
        return Worlds.confounded();
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void ipwIsUnbiasedWithTruePropensities(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        double[] estimates =
                Worlds.estimates(
                        world, MULTI_IPW, Worlds.logits(world, world.propensity(), null), 2_000);
        assertThat(MonteCarlo.consistentWith(truth, estimates))
                .as(MonteCarlo.describe(truth, estimates))
                .isTrue();
        assertThat(Math.abs(MonteCarlo.mean(estimates) - truth))
                .as("bias within 3%% of P: %s", MonteCarlo.describe(truth, estimates))
                .isLessThanOrEqualTo(0.03 * truth);
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void ipwWithTheOraclePropensityColumnIsUnbiased(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        // The ctr tower's logits say p̂ = 1/2 everywhere; the oracle must ignore them.
        double[] estimates =
                Worlds.estimates(
                        world,
                        NAIVE_IPW_ORACLE,
                        Worlds.logits(world, Worlds.constant(world.size(), 0.5), null),
                        2_000);
        assertThat(MonteCarlo.consistentWith(truth, estimates))
                .as(MonteCarlo.describe(truth, estimates))
                .isTrue();
    }

    /** Power twin: the same worlds, p̂ = the mean click rate (clicks treated as MCAR). */
    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void ipwWithAPropensityBlindToTheConfounderIsCaught(@ForAll("worlds") TestWorld world) {
        double truth = world.trueInaccuracy();
        double[] blind = Worlds.constant(world.size(), world.meanPropensity());
        double[] estimates =
                Worlds.estimates(world, MULTI_IPW, Worlds.logits(world, blind, null), 2_000);
        assertThat(MonteCarlo.detectsDifference(truth, estimates))
                .as(MonteCarlo.describe(truth, estimates))
                .isTrue();
        // Clicks come with high errors in these worlds, so ignoring p over-estimates P.
        assertThat(MonteCarlo.mean(estimates)).isGreaterThan(truth);
    }
}
