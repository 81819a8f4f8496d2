package org.causalcvr.metrics;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every metric of one {@link EvaluationSpace}.
 *
 * @param space the space (always printed with the numbers)
 * @param rows rows in the space
 * @param positives positive rows, or for soft labels the positive mass Σ true_cvr
 * @param auc exact AUC (soft AUC for soft labels); NaN if the space has one class or no rows
 * @param logLoss mean clamped cross-entropy against the space's labels; NaN without rows
 * @param meanPredicted mean prediction over the space
 * @param observedRate mean label (soft: mean true_cvr) over the space
 * @param calibration predicted vs observed table and ECE; empty without rows
 * @param groups GAUC, Recall@K and NDCG@K; empty without group ids or for soft labels
 * @param bias with ground truth and a CVR space: mean pCVR − mean true_cvr over the space
 */
public record SpaceReport(
        EvaluationSpace space,
        long rows,
        double positives,
        double auc,
        double logLoss,
        double meanPredicted,
        double observedRate,
        Optional<CalibrationTable> calibration,
        Optional<GroupReport> groups,
        OptionalDouble bias) {

    /** The expected calibration error, NaN without rows. */
    public double ece() {
        return calibration.map(CalibrationTable::ece).orElse(Double.NaN);
    }
}
