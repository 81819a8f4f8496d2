package org.causalcvr.testkit;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * The decisions of the statistical tests, with their error rates stated: a two-sided one-sample
 * t-test (Commons Math) of a Monte-Carlo sample of estimates against a value.
 */
public final class MonteCarlo {
    /**
     * The false-alarm rate of one "cannot reject" decision: an unbiased estimator fails a check
     * with probability at most this (per world, asymptotically).
     */
    public static final double ALPHA = 1e-3;

    private static final TTest T_TEST = new TTest();

    private MonteCarlo() {}

    /** Whether tests run at their extended size ({@code -Dcvr.extended=true}, profile mutation). */
    public static boolean extended() {
        return Boolean.getBoolean("cvr.extended");
    }

    /** {@code normal} replicates, ten times as many in the extended run. */
    public static int replicates(int normal) {
        return extended() ? normal * 10 : normal;
    }

    public static double mean(double[] sample) {
        return Arrays.stream(sample).average().orElseThrow();
    }

    /** The standard error of the sample mean. */
    public static double standardError(double[] sample) {
        double m = mean(sample);
        double ss = 0;
        for (double x : sample) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (sample.length - 1) / sample.length);
    }

    /** The two-sided p-value of H0: E[sample] = value. */
    public static double pValue(double value, double[] sample) {
        return T_TEST.tTest(value, sample);
    }

    /** H0: E[sample] = value is not rejected at {@link #ALPHA}. */
    public static boolean consistentWith(double value, double[] sample) {
        return pValue(value, sample) > ALPHA;
    }

    /** H0: E[sample] = value is rejected at {@link #ALPHA}: the bias is detected. */
    public static boolean detectsDifference(double value, double[] sample) {
        return pValue(value, sample) < ALPHA;
    }

    /** A line for assertion messages. */
    public static String describe(double value, double[] sample) {
        return String.format(
                "mean %.6f ± %.6f (s.e.) vs %.6f, p-value %.3g over %d replicates",
                mean(sample), standardError(sample), value, pValue(value, sample), sample.length);
    }
}
