package org.causalcvr.experiments.study;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.causalcvr.api.data.ExposureSource;

/**
 * One data set of a study: training, validation and test logs of one world, with the world's label
 * and what the theory expects there (printed beside its figures, so no number stands without its
 * expectation).
 *
 * @param label a short name, such as {@code "visibility 0.5"}
 * @param train the training log
 * @param validation a disjoint sample of the same world that training settings are chosen on (the
 *     epoch early stopping keeps), never the test log; empty when the study stops nothing early
 * @param test the test log, with {@code true_cvr} for the exposure-space metrics
 * @param expectation what the theory expects of the estimators in this world (one paragraph)
 * @param oracles scores of the test rows that no estimator trained (ceilings the world's author can
 *     compute), reported beside the estimators; empty for data whose truth is not known
 */
public record StudyWorld(
        String label,
        ExposureSource train,
        Optional<ExposureSource> validation,
        ExposureSource test,
        String expectation,
        List<OracleScores> oracles) {
    public StudyWorld {
        Objects.requireNonNull(label);
        Objects.requireNonNull(train);
        Objects.requireNonNull(validation);
        Objects.requireNonNull(test);
        expectation = expectation == null ? "" : expectation;
        oracles = List.copyOf(oracles);
    }

    /** A world without oracles. */
    public StudyWorld(
            String label,
            ExposureSource train,
            Optional<ExposureSource> validation,
            ExposureSource test,
            String expectation) {
        this(label, train, validation, test, expectation, List.of());
    }

    /** A world without a validation sample (every run trains the backend's epochs). */
    public StudyWorld(String label, ExposureSource train, ExposureSource test, String expectation) {
        this(label, train, Optional.empty(), test, expectation, List.of());
    }
}
