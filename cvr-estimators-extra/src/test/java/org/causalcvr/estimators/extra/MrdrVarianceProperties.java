package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.descriptive.moment.Variance;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.estimators.extra.factories.MrdrFactory;
import org.causalcvr.estimators.paper.PaperEstimatorsModule;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.TestWorld;
import org.junit.jupiter.api.Test;

/**
 * MRDR's stated purpose (Guo et al., SIGIR 2021): a DR estimate of lower variance than DR's. The
 * weighting of the imputation loss only changes which ê is fitted, so the property compares DR
 * estimates computed with the ê that each imputation loss fits: per replicate, ê is fitted on one
 * draw of the clicks by minimising the estimator's own imputation loss (MRDR's {@code o(1−p̂)/p̂²}
 * weighting, Multi-DR's {@code o/p̂}) in the class ê_s = CE(s, r̂), s ∈ [0, 1] ({@link
 * ImputationFit}, exact), and the DR estimate of P is then taken on an independent draw. The
 * variances are over those replicates, paired (the same draws for both).
 *
 * <p>Where the claim holds: with p̂ = p, in confounded worlds of 200 to 400 pairs, Var(MRDR) ≤ (1 +
 * {@value #TOLERANCE})·Var(DR). Measured (400 replicates, {@code -Dcvr.report=true} prints them):
 * the five worlds of the property give ratios 1.09, 0.84, 0.80, 0.78 and 0.71; in exploration, 36
 * worlds of 50, 200 and 800 pairs gave 0.33 to 0.95, except two: 1.04 at 50 pairs and the 1.09
 * above at 230 pairs (one-sided Pitman–Morgan p = 0.004, not significant at α = 10⁻³). So the claim
 * is not strict at finite size: MRDR's weights (1−p̂)/p̂² reach 380 at p = 0.05, the s it fits on
 * one draw is noisier than DR's, and that noise costs variance; the tolerance is what it costs
 * here.
 *
 * <p>Where it fails, and this class documents it as a test: with an under-confident propensity p̂ =
 * 0.6·p, MRDR weights its fit by a wrong variance, and in worlds of 800 pairs its variance exceeds
 * DR's (ratios 1.2 to 2.2), significantly by a one-sided Pitman–Morgan test. Its estimate is then
 * also further from P than DR's (its fitted ê is smaller, so eq. 7's Δ·δ is larger).
 */
class MrdrVarianceProperties {
    /** The stated tolerance on Var(MRDR)/Var(DR) − 1 where the claim holds. */
    static final double TOLERANCE = 0.10;

    private static final int REPLICATES = MonteCarlo.replicates(400);

    private static final Estimator DR =
            PaperEstimatorsModule.factories().stream()
                    .filter(f -> f.name().equals("multi-dr"))
                    .findFirst()
                    .orElseThrow()
                    .create(Map.of());

    private static final Estimator MRDR = new MrdrFactory().create(Map.of());

    @Provide
    Arbitrary<TestWorld> worlds() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(200, 400))
                .as((seed, n) -> TestWorld.confounded(new SplittableRandom(seed), n));
    }

    /** Paired DR estimates: [0] with the ê DR's loss fits, [1] with the ê MRDR's loss fits. */
    static double[][] estimates(TestWorld world, double[] propensity, long seed) {
        var random = new SplittableRandom(seed);
        var ends = ImputationFit.ends(world, propensity);
        double[][] out = new double[2][REPLICATES];
        for (int k = 0; k < REPLICATES; k++) {
            double[] training = world.sampleClicks(random);
            double[] evaluation = world.sampleClicks(random);
            double sDr = ImputationFit.fit(DR, world, training, ends);
            double sMrdr = ImputationFit.fit(MRDR, world, training, ends);
            out[0][k] = ImputationFit.estimate(DR, world, evaluation, propensity, sDr);
            out[1][k] = ImputationFit.estimate(MRDR, world, evaluation, propensity, sMrdr);
        }
        return out;
    }

    static double variance(double[] x) {
        return new Variance().evaluate(x);
    }

    /**
     * The one-sided p-value of the Pitman–Morgan test of H0: Var(b) = Var(a) against Var(b) >
     * Var(a), for paired samples: the correlation of a + b and b − a is 0 under H0.
     */
    static double pitmanMorganGreater(double[] a, double[] b) {
        int n = a.length;
        double[] sum = new double[n];
        double[] difference = new double[n];
        for (int i = 0; i < n; i++) {
            sum[i] = a[i] + b[i];
            difference[i] = b[i] - a[i];
        }
        double r = new PearsonsCorrelation().correlation(sum, difference);
        double t = r * Math.sqrt((n - 2) / (1 - r * r));
        return 1 - new TDistribution(n - 2).cumulativeProbability(t);
    }

    /** Prints a measured figure when run with {@code -Dcvr.report=true}. */
    private static void report(String line) {
        if (Boolean.getBoolean("cvr.report")) {
            System.out.println(line);
        }
    }

    @Property(tries = 5, seed = "20210711", shrinking = ShrinkingMode.OFF)
    void mrdrHasAtMostTheVarianceOfDrWithTruePropensities(@ForAll("worlds") TestWorld world) {
        double[][] e = estimates(world, world.propensity(), 17);
        double ratio = variance(e[1]) / variance(e[0]);
        assertThat(ratio)
                .as(
                        "%s: Var(MRDR)/Var(DR) = %.3f (Var DR %.3g) over %d replicates",
                        world, ratio, variance(e[0]), REPLICATES)
                .isLessThanOrEqualTo(1 + TOLERANCE);
        report(
                String.format(
                        "p̂ = p, %s: Var(MRDR)/Var(DR) = %.3f, Pitman–Morgan p %.2g",
                        world, ratio, pitmanMorganGreater(e[0], e[1])));
        // Both stay unbiased: the fitted ê never breaks DR's Theorem 2.
        assertThat(MonteCarlo.consistentWith(world.trueInaccuracy(), e[1]))
                .as(MonteCarlo.describe(world.trueInaccuracy(), e[1]))
                .isTrue();
    }

    /**
     * The documented failure, and the power twin of the property above: the same procedure detects
     * a variance excess of MRDR where there is one.
     */
    @Test
    void mrdrsVarianceClaimFailsWithAnUnderConfidentPropensity() {
        var ratios = new StringBuilder();
        for (long seed = 1; seed <= 3; seed++) {
            TestWorld world = TestWorld.confounded(new SplittableRandom(seed), 800);
            double[][] pair =
                    estimates(
                            world,
                            DoublyRobustFamilyProperties.scaled(world.propensity(), 0.6),
                            31 * seed);
            double ratio = variance(pair[1]) / variance(pair[0]);
            double p = pitmanMorganGreater(pair[0], pair[1]);
            ratios.append(String.format(" seed %d: %.2f (p %.2g);", seed, ratio, p));
            assertThat(ratio).as("Var(MRDR)/Var(DR), p̂ = 0.6·p:%s", ratios).isGreaterThan(1.1);
            assertThat(p).as("Pitman–Morgan, p̂ = 0.6·p:%s", ratios).isLessThan(MonteCarlo.ALPHA);
        }
        report("p̂ = 0.6·p, 800 pairs, Var(MRDR)/Var(DR):" + ratios);
    }
}
