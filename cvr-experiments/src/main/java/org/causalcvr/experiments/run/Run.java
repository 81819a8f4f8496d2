package org.causalcvr.experiments.run;

import java.util.Optional;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.metrics.EvaluationReport;

/**
 * The outcome of training one arm with one seed and evaluating it on the test data.
 *
 * @param arm what was trained
 * @param seed the backend seed of this run
 * @param report the model's metrics on the test data
 * @param trainSeconds wall time of training
 * @param scores the per-row test scores (kept for the first seed of each arm)
 * @param provenance the trained model's provenance: resolved estimator and backend configuration,
 *     seed, training-data fingerprint, schema and code version, as the backend recorded it
 * @param trainingData the training data the run read
 * @param failure why the run failed, when it collapsed (constant or non-finite test predictions, or
 *     a validation AUC of exactly 0.5): a failed run is listed in reports but never averaged
 * @param validation the validation score after each epoch of the last stage, and so the epoch early
 *     stopping kept; {@link ValidationCurve#NONE} when the run had no validation data
 */
public record Run(
        Arm arm,
        long seed,
        EvaluationReport report,
        double trainSeconds,
        Optional<Scores> scores,
        Provenance provenance,
        DataIdentity trainingData,
        Optional<String> failure,
        ValidationCurve validation) {

    /** Whether the run collapsed; its metrics are then kept out of every summary. */
    public boolean failed() {
        return failure.isPresent();
    }
}
