package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.extra.propensity.DynamicPropensity;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.ObjectiveValues;
import org.causalcvr.testkit.TestWorld;
import org.junit.jupiter.api.Test;

/**
 * D-DR's weight 1/(p̂ + γ(1 − p̂)): γ = 0 is Multi-DR; with p̂ = p its bias is the closed form
 * (1/|D|) Σ (p·w(p) − 1)(e − ê), bounded, and bought with a smaller variance than DR's; the weight
 * never exceeds 1/p̂ nor 1/γ.
 */
class DynamicDrProperties {
    private static final CvrRuntime RUNTIME = CvrRuntime.load();
    private static final Estimator MULTI_DR = RUNTIME.estimator("multi-dr").create(Map.of());

    private static Estimator dynamic(double gamma) {
        return RUNTIME.estimator("d-dr").create(Map.of("variance-weight", String.valueOf(gamma)));
    }

    @Test
    void withGammaZeroEveryTermIsMultiDrs() {
        Estimator zero = dynamic(0);
        var random = new SplittableRandom(8);
        for (int trial = 0; trial < 20; trial++) {
            Batch batch = Batch.random(random, 40);
            Map<String, Double> mine = batch.terms(zero.schedule().mainObjective());
            Map<String, Double> dr = batch.terms(MULTI_DR.schedule().mainObjective());
            assertThat(mine.keySet()).containsExactlyElementsOf(dr.keySet());
            dr.forEach((term, value) -> assertThat(mine.get(term)).isCloseTo(value, within(1e-12)));
        }
    }

    @Test
    void withTruePropensitiesItsBiasIsTheClosedFormAndItsVarianceBelowDrs() {
        double gamma = 0.2;
        Estimator dynamic = dynamic(gamma);
        TestWorld world = TestWorld.confounded(new SplittableRandom(9), 200);
        double[] p = world.propensity();
        double[] e = world.errors();
        double[] eHat = DoublyRobustFamilyProperties.scaled(e, 0.3);
        double bias = 0;
        for (int i = 0; i < p.length; i++) {
            bias += (p[i] * DynamicPropensity.weight(p[i], gamma) - 1) * (e[i] - eHat[i]);
        }
        bias /= p.length;
        var logits = ImputationFit.logits(world, p, eHat);
        int replicates = MonteCarlo.replicates(1_000);
        double[] mine =
                world.replicate(
                        replicates,
                        10,
                        draw ->
                                ObjectiveValues.inaccuracyEstimate(
                                        dynamic, draw.withLogits(logits)));
        double[] dr =
                world.replicate(
                        replicates,
                        10,
                        draw ->
                                ObjectiveValues.inaccuracyEstimate(
                                        MULTI_DR, draw.withLogits(logits)));
        double truth = world.trueInaccuracy();
        assertThat(MonteCarlo.consistentWith(truth + bias, mine))
                .as("closed-form bias %.5f: %s", bias, MonteCarlo.describe(truth + bias, mine))
                .isTrue();
        assertThat(MonteCarlo.detectsDifference(truth, mine))
                .as("the bias is real: %s", MonteCarlo.describe(truth, mine))
                .isTrue();
        assertThat(variance(mine)).isLessThan(0.75 * variance(dr));
    }

    @Property(tries = 200)
    void theWeightNeverExceedsTheInversePropensityNorOneOverGamma(
            @ForAll @DoubleRange(min = 1e-6, max = 1) @Scale(8) double propensity,
            @ForAll @DoubleRange(min = 0, max = 1) @Scale(8) double gamma) {
        double w = DynamicPropensity.weight(propensity, gamma);
        assertThat(w).isLessThanOrEqualTo(1 / propensity * (1 + 1e-12));
        if (gamma > 0) {
            assertThat(w).isLessThanOrEqualTo(1 / gamma * (1 + 1e-12));
        }
        assertThat(w).isGreaterThanOrEqualTo(1.0);
    }

    private static double variance(double[] x) {
        double m = MonteCarlo.mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }
}
