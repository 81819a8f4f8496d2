package org.causalcvr.metrics;

/**
 * Student's paired t-test of two measurements taken in pairs (such as two estimators' AUCs, one
 * pair per training seed).
 *
 * @param pairs the number of pairs n
 * @param meanDifference the mean of the differences a − b
 * @param stdDifference the sample standard deviation of the differences (n − 1 in the divisor)
 * @param t {@code meanDifference / (stdDifference / sqrt(n))}
 * @param degreesOfFreedom n − 1
 * @param pValue the two-sided p-value of H₀: E[a − b] = 0; NaN with fewer than two pairs
 */
public record PairedTTestResult(
        int pairs,
        double meanDifference,
        double stdDifference,
        double t,
        int degreesOfFreedom,
        double pValue) {}
