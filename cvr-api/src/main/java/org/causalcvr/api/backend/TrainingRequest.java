package org.causalcvr.api.backend;

import java.nio.file.Path;
import java.util.Optional;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.estimator.Estimator;

/**
 * What to train and on what.
 *
 * @param estimator the estimator to train
 * @param train the training data (opened once per epoch)
 * @param validation validation data for early stopping, if any
 * @param validationScore the metric for early stopping (needs {@code validation})
 * @param checkpointDirectory where to write checkpoints atomically and resume from, if any
 * @param listener progress reports
 */
public record TrainingRequest(
        Estimator estimator,
        ExposureSource train,
        Optional<ExposureSource> validation,
        Optional<ValidationScore> validationScore,
        Optional<Path> checkpointDirectory,
        TrainingListener listener) {
    public TrainingRequest {
        if (validationScore.isPresent() && validation.isEmpty()) {
            throw new IllegalArgumentException(
                    "A validation score '"
                            + validationScore.get().name()
                            + "' needs validation data");
        }
    }

    /** Train on {@code train} only, without validation, checkpoints or progress reports. */
    public static TrainingRequest of(Estimator estimator, ExposureSource train) {
        return new TrainingRequest(
                estimator,
                train,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                TrainingListener.NONE);
    }
}
