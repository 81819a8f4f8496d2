package org.causalcvr.api.estimator;

import java.util.List;

/**
 * A phase of training: its steps are taken in turn, one per batch, cycling, for the configured
 * number of epochs; the stages of a schedule run one after the other.
 *
 * @param name a short name, such as {@code propensity} or {@code main}
 * @param steps the steps, at least one
 */
public record TrainingStage(String name, List<TrainingStep> steps) {
    public TrainingStage {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("Training stage '" + name + "' has no step");
        }
    }
}
