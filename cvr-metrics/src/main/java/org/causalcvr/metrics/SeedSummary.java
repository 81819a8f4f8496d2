package org.causalcvr.metrics;

import java.util.Locale;

/**
 * The spread of one metric over repeated runs (seeds), as the paper's table 3 reports it: the mean
 * and the sample standard deviation {@code sqrt(Σ (x − x̄)² / (n − 1))}.
 *
 * @param runs number of runs
 * @param mean the mean
 * @param std the sample standard deviation (0 for one run)
 */
public record SeedSummary(int runs, double mean, double std) {

    /** The summary of {@code values}, one per run. */
    public static SeedSummary of(double... values) {
        if (values.length == 0) {
            throw new UndefinedMetricException("A mean over zero runs is undefined");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = values.length < 2 ? 0 : Math.sqrt(squares / (values.length - 1));
        return new SeedSummary(values.length, mean, std);
    }

    /**
     * {@code mean ± std} with both multiplied by {@code scale} and rounded to {@code decimals}:
     * {@code format(100, 2)} of AUCs gives table 3's {@code 69.29 ± 0.31}.
     */
    public String format(double scale, int decimals) {
        return String.format(
                Locale.ROOT,
                "%." + decimals + "f ± %." + decimals + "f",
                mean * scale,
                std * scale);
    }

    @Override
    public String toString() {
        return format(1, 4) + " (" + runs + " runs)";
    }
}
