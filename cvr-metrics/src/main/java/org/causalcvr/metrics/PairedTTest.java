package org.causalcvr.metrics;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Student's paired t-test: with differences d_i = a_i − b_i of n pairs,
 *
 * <pre>
 *   d̄ = (1/n) Σ d_i,   s = sqrt( Σ (d_i − d̄)² / (n − 1) ),   t = d̄ / (s / √n),
 *   p = 2 · P(T_{n−1} &gt; |t|).
 * </pre>
 *
 * Where the pairs are training seeds of two estimators scored on the same test rows, this tests
 * whether one training procedure beats the other over the randomness of training, which a test on
 * one pair of trained models (DeLong's) does not see; it assumes the differences roughly normal,
 * and with few seeds it has little power.
 */
public final class PairedTTest {
    private PairedTTest() {}

    /**
     * The two-sided paired test of E[a − b] = 0.
     *
     * @throws IllegalArgumentException when {@code a} and {@code b} differ in length
     */
    public static PairedTTestResult compare(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "A paired t-test needs as many values in each sample, got "
                            + a.length
                            + " and "
                            + b.length);
        }
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += a[i] - b[i];
        }
        mean = n == 0 ? Double.NaN : mean / n;
        if (n < 2) {
            return new PairedTTestResult(
                    n, mean, Double.NaN, Double.NaN, Math.max(0, n - 1), Double.NaN);
        }
        double squares = 0;
        for (int i = 0; i < n; i++) {
            double centred = a[i] - b[i] - mean;
            squares += centred * centred;
        }
        double std = Math.sqrt(squares / (n - 1));
        double t;
        double p;
        if (std == 0) {
            // Every pair differs by the same amount: no spread to test against.
            t = mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean);
            p = mean == 0 ? 1 : 0;
        } else {
            t = mean / (std / Math.sqrt(n));
            p = 2 * new TDistribution(null, n - 1).cumulativeProbability(-Math.abs(t));
        }
        return new PairedTTestResult(n, mean, std, t, n - 1, p);
    }
}
