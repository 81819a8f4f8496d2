package org.causalcvr.experiments.study;

import java.util.Objects;
import org.causalcvr.api.data.ExposureSource;

/**
 * One data set of a study: training and test logs of one world, with the world's label and what the
 * theory expects there (printed beside its figures, so no number stands without its expectation).
 *
 * @param label a short name, such as {@code "visibility 0.5"}
 * @param train the training log
 * @param test the test log, with {@code true_cvr} for the exposure-space metrics
 * @param expectation what the theory expects of the estimators in this world (one paragraph)
 */
public record StudyWorld(
        String label, ExposureSource train, ExposureSource test, String expectation) {
    public StudyWorld {
        Objects.requireNonNull(label);
        Objects.requireNonNull(train);
        Objects.requireNonNull(test);
        expectation = expectation == null ? "" : expectation;
    }
}
