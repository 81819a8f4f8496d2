package org.causalcvr.estimators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.TestWorld;

/**
 * SNIPS is biased for a small batch but consistent: its bias shrinks as the batch grows, while
 * exposure-count IPW is unbiased at every size.
 *
 * <p>The worlds have two kinds of pairs: frequent clicks with small errors, and rare clicks (p ≤
 * 0.1) with large errors, so a small batch often has no rare click and SNIPS's ratio is far off.
 * The same pairs are repeated k times (same P) for k = 1 and k = 20.
 */
class SelfNormalisationProperties {
    private static final Objective SNIPS =
            Worlds.estimator("multi-ipw", Map.of("normalisation", "self-normalised"))
                    .schedule()
                    .mainObjective();
    private static final Objective IPW =
            Worlds.estimator("multi-ipw", Map.of()).schedule().mainObjective();

    @Provide
    Arbitrary<TestWorld> skewed() {
        return Combinators.combine(
                        Arbitraries.doubles().between(0.5, 0.9),
                        Arbitraries.doubles().between(0.02, 0.1),
                        Arbitraries.doubles().between(0.05, 0.2),
                        Arbitraries.doubles().between(0.05, 0.2))
                .as(
                        (frequent, rare, rHatFrequent, rHatRare) ->
                                TestWorld.of(
                                        new double[] {frequent, frequent, frequent, rare, rare},
                                        new double[] {0, 0, 0, 1, 1},
                                        new double[] {
                                            rHatFrequent,
                                            rHatFrequent,
                                            rHatFrequent,
                                            rHatRare,
                                            rHatRare
                                        }));
    }

    @Property(tries = 10, seed = "20200624", shrinking = ShrinkingMode.OFF)
    void snipsBiasShrinksAsTheBatchGrows(@ForAll("skewed") TestWorld base) {
        TestWorld small = base;
        TestWorld large = base.repeat(20);
        double truth = base.trueInaccuracy();
        var logitsSmall = Worlds.logits(small, small.propensity(), null);
        var logitsLarge = Worlds.logits(large, large.propensity(), null);
        double[] snipsSmall = Worlds.estimates(small, SNIPS, logitsSmall, 20_000);
        double[] snipsLarge = Worlds.estimates(large, SNIPS, logitsLarge, 4_000);
        double biasSmall = MonteCarlo.mean(snipsSmall) - truth;
        double biasLarge = MonteCarlo.mean(snipsLarge) - truth;
        assertThat(MonteCarlo.detectsDifference(truth, snipsSmall))
                .as("small batch: %s", MonteCarlo.describe(truth, snipsSmall))
                .isTrue();
        double noise =
                3
                        * Math.hypot(
                                MonteCarlo.standardError(snipsSmall),
                                MonteCarlo.standardError(snipsLarge));
        assertThat(Math.abs(biasSmall) - Math.abs(biasLarge))
                .as("|bias| at n=5: %.4f, at n=100: %.4f", biasSmall, biasLarge)
                .isGreaterThan(noise);
        assertThat(Math.abs(biasLarge)).isLessThan(Math.abs(biasSmall) / 2);

        // Exposure-count IPW in the same small batches: unbiased already.
        double[] ipwSmall = Worlds.estimates(small, IPW, logitsSmall, 20_000);
        assertThat(MonteCarlo.consistentWith(truth, ipwSmall))
                .as("IPW, small batch: %s", MonteCarlo.describe(truth, ipwSmall))
                .isTrue();
    }
}
