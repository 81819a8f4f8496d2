package org.causalcvr.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Predicted versus observed rates in bins of the prediction, and the expected calibration error
 *
 * <pre>
 *   ECE = Σ_b (n_b / n) |mean predicted_b − observed rate_b|.
 * </pre>
 *
 * @param binning how the bins were cut
 * @param requestedBins the number of bins asked for
 * @param bins the bins in order of the prediction (empty equal-width bins included, with NaN means)
 * @param ece the expected calibration error
 * @param maxError the largest |mean predicted − observed| over non-empty bins (MCE)
 */
public record CalibrationTable(
        Binning binning,
        int requestedBins,
        List<CalibrationBin> bins,
        double ece,
        double maxError) {
    public CalibrationTable {
        bins = List.copyOf(bins);
    }

    /**
     * The table as tab-separated text with a header ({@code lower upper rows mean_predicted
     * observed_rate}), for plotting a reliability diagram.
     */
    public String toTsv() {
        var out = new StringBuilder("lower\tupper\trows\tmean_predicted\tobserved_rate\n");
        for (CalibrationBin b : bins) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%.6g\t%.6g\t%d\t%.6g\t%.6g%n",
                            b.lower(),
                            b.upper(),
                            b.rows(),
                            b.meanPredicted(),
                            b.observedRate()));
        }
        return out.toString();
    }
}
