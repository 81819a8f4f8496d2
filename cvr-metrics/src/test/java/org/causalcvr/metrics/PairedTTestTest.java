package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedTTestTest {

    /** Student's (1908) sleep data: extra hours of sleep of ten patients under two drugs. */
    private static final double[] DRUG_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};

    private static final double[] DRUG_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

    @Test
    void matchesTheTextbookSleepData() {
        // R: t.test(extra ~ group, data = sleep, paired = TRUE): t = -4.0621, df = 9,
        // p-value = 0.002833, mean difference -1.58.
        PairedTTestResult r = PairedTTest.compare(DRUG_1, DRUG_2);
        assertThat(r.pairs()).isEqualTo(10);
        assertThat(r.degreesOfFreedom()).isEqualTo(9);
        assertThat(r.meanDifference()).isCloseTo(-1.58, within(1e-12));
        assertThat(r.t()).isCloseTo(-4.0621, within(1e-4));
        assertThat(r.pValue()).isCloseTo(0.002833, within(1e-6));
    }

    @Test
    void isSymmetricInItsSamples() {
        PairedTTestResult ab = PairedTTest.compare(DRUG_1, DRUG_2);
        PairedTTestResult ba = PairedTTest.compare(DRUG_2, DRUG_1);
        assertThat(ba.t()).isCloseTo(-ab.t(), within(1e-12));
        assertThat(ba.pValue()).isCloseTo(ab.pValue(), within(1e-15));
    }

    @Test
    void seesOnlyTheDifferencesNotTheLevels() {
        // A large common shift of both samples (a seed that is good for every estimator) changes
        // nothing: the test reads the pairs' differences.
        double[] a = {0.86, 0.85, 0.87, 0.84, 0.86};
        double[] b = {0.855, 0.846, 0.866, 0.835, 0.858};
        double[] shiftedA = a.clone();
        double[] shiftedB = b.clone();
        for (int i = 0; i < a.length; i++) {
            shiftedA[i] += 0.01 * i;
            shiftedB[i] += 0.01 * i;
        }
        assertThat(PairedTTest.compare(shiftedA, shiftedB).pValue())
                .isCloseTo(PairedTTest.compare(a, b).pValue(), within(1e-9));
        assertThat(PairedTTest.compare(a, b).pValue()).isLessThan(0.05);
    }

    @Test
    void constantDifferencesAndTooFewPairs() {
        assertThat(PairedTTest.compare(new double[] {1, 2}, new double[] {0, 1}).pValue()).isZero();
        assertThat(PairedTTest.compare(new double[] {1, 2}, new double[] {1, 2}).pValue())
                .isEqualTo(1.0);
        assertThat(PairedTTest.compare(new double[] {1}, new double[] {0}).pValue()).isNaN();
        assertThatThrownBy(() -> PairedTTest.compare(new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 and 1");
    }
}
