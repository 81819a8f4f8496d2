package org.causalcvr.metrics;

import java.util.Locale;

/**
 * A two-sided confidence interval.
 *
 * @param estimate the statistic on the full data
 * @param lower the lower bound
 * @param upper the upper bound
 * @param confidence the nominal coverage, such as 0.95
 * @param replicates bootstrap replicates that produced a value (0 for an analytic interval)
 * @param skipped bootstrap replicates where the statistic was undefined (NaN), left out
 */
public record ConfidenceInterval(
        double estimate,
        double lower,
        double upper,
        double confidence,
        int replicates,
        int skipped) {

    /** Whether {@code value} lies in [lower, upper]. */
    public boolean contains(double value) {
        return value >= lower && value <= upper;
    }

    /** {@code 0.6929 [0.6871, 0.6990] (95%)}. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%.4f [%.4f, %.4f] (%s%%)",
                estimate,
                lower,
                upper,
                new java.math.BigDecimal(confidence * 100)
                        .stripTrailingZeros()
                        .round(new java.math.MathContext(6))
                        .toPlainString());
    }

    static void requireConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must lie in (0, 1), got " + confidence);
        }
    }
}
