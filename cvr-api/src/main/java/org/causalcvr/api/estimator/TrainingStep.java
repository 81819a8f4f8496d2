package org.causalcvr.api.estimator;

import java.util.Set;

/**
 * One kind of optimisation step: minimise {@code objective}, updating only the parameters of {@code
 * trainableTowers} (and of the embedding tables those towers read).
 *
 * @param name a short name for progress reports, such as {@code prediction}
 * @param objective the loss of this step
 * @param trainableTowers towers whose parameters this step updates; the others are frozen
 */
public record TrainingStep(String name, Objective objective, Set<String> trainableTowers) {
    public TrainingStep {
        trainableTowers = Set.copyOf(trainableTowers);
        if (trainableTowers.isEmpty()) {
            throw new IllegalArgumentException("Training step '" + name + "' trains no tower");
        }
    }
}
