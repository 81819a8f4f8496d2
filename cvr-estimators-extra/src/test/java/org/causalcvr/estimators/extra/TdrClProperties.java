package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.extra.imputation.TargetedImputation;
import org.junit.jupiter.api.Test;

/**
 * TDR-CL's targeted ê* = ê + ε/p̂: it leaves no inverse-propensity-weighted residual on the clicks
 * (so the estimate is the mean of ê*), it is DR when the imputation is exact, and its imputation
 * loss leaves to the correction what the correction can absorb.
 */
class TdrClProperties {
    private static final CvrRuntime RUNTIME = CvrRuntime.load();
    private static final double TOL = 1e-10;
    private static final Estimator TDR_CL = RUNTIME.estimator("tdr-cl").create(Map.of());
    private static final Estimator MULTI_DR = RUNTIME.estimator("multi-dr").create(Map.of());

    @Test
    void theTargetedImputationLeavesNoWeightedResidualOnTheClicks() {
        var random = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            Batch batch = Batch.random(random, 40);
            double[] o = batch.clicks();
            double[] e = batch.errors();
            double[] eHat = batch.imputed();
            double[] p = batch.propensity();
            double numerator = 0;
            double denominator = 0;
            double meanH = 0;
            for (int i = 0; i < o.length; i++) {
                numerator += o[i] * (e[i] - eHat[i]) / p[i];
                denominator += o[i] / (p[i] * p[i]);
                meanH += 1 / p[i] / o.length;
            }
            double epsilon = numerator / denominator;
            assertThat(batch.estimate(TDR_CL))
                    .as("trial %d", trial)
                    .isCloseTo(Batch.mean(eHat) + epsilon * meanH, within(TOL));

            var targeted = new TargetedImputation(TDR_CL.propensity(), TDR_CL.imputation());
            double[] star = targeted.imputedError(DoubleOps.INSTANCE, batch.input(), e);
            double residual = 0;
            for (int i = 0; i < o.length; i++) {
                residual += o[i] * (e[i] - star[i]) / p[i];
                assertThat(star[i]).isCloseTo(eHat[i] + epsilon / p[i], within(1e-9));
            }
            assertThat(residual).isCloseTo(0, within(1e-8));
        }
    }

    @Test
    void withAnExactImputationItIsDrAndBothArePExactly() {
        var random = new SplittableRandom(6);
        for (int trial = 0; trial < 10; trial++) {
            Batch batch = Batch.random(random, 40);
            Batch exact = batch.withImputed(batch.errors());
            double truth = Batch.mean(batch.errors());
            assertThat(exact.estimate(TDR_CL)).isCloseTo(truth, within(1e-9));
            assertThat(exact.estimate(MULTI_DR)).isCloseTo(truth, within(1e-9));
        }
    }

    @Test
    void itsImputationLossLeavesToTheCorrectionWhatTheCorrectionAbsorbs() {
        Batch batch = Batch.random(new SplittableRandom(7), 40);
        double[] e = batch.errors();
        double[] p = batch.propensity();
        // ê = e − c/p̂: wrong by a multiple of the clever covariate h = 1/p̂, which ε absorbs.
        double c = Double.POSITIVE_INFINITY;
        for (int i = 0; i < e.length; i++) {
            c = Math.min(c, 0.5 * e[i] * p[i]);
        }
        double[] shifted = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            shifted[i] = e[i] - c / p[i];
        }
        Batch off = batch.withImputed(shifted);
        double collaborative = off.terms(TDR_CL.schedule().mainObjective()).get("imputation");
        double plain = off.terms(MULTI_DR.schedule().mainObjective()).get("imputation");
        assertThat(collaborative).isCloseTo(0, within(1e-12));
        assertThat(plain).isGreaterThan(1e-4);
        // And the estimate is then exact, as with ê = e.
        assertThat(off.estimate(TDR_CL)).isCloseTo(Batch.mean(e), within(1e-9));
    }
}
