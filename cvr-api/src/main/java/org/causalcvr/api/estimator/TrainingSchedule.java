package org.causalcvr.api.estimator;

import java.util.List;
import java.util.Set;

/**
 * The order in which an estimator's objectives are optimised.
 *
 * @param kind the arrangement, for reports
 * @param stages stages run in order; the last stage trains the towers that are used to predict
 */
public record TrainingSchedule(ScheduleKind kind, List<TrainingStage> stages) {
    public TrainingSchedule {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("A training schedule needs a stage");
        }
    }

    /** One stage, one step, every listed tower trained together. */
    public static TrainingSchedule joint(Objective objective, Set<String> towers) {
        return new TrainingSchedule(
                ScheduleKind.JOINT,
                List.of(
                        new TrainingStage(
                                "joint", List.of(new TrainingStep("joint", objective, towers)))));
    }

    /** Train {@code first} (a propensity model), freeze it, then train {@code second}. */
    public static TrainingSchedule twoStage(TrainingStep first, TrainingStep second) {
        return new TrainingSchedule(
                ScheduleKind.TWO_STAGE,
                List.of(
                        new TrainingStage(first.name(), List.of(first)),
                        new TrainingStage(second.name(), List.of(second))));
    }

    /** Optionally pre-train {@code pretraining}, then alternate {@code steps} batch by batch. */
    public static TrainingSchedule alternating(TrainingStep pretraining, List<TrainingStep> steps) {
        var main = new TrainingStage("alternating", steps);
        return new TrainingSchedule(
                ScheduleKind.ALTERNATING,
                pretraining == null
                        ? List.of(main)
                        : List.of(
                                new TrainingStage(pretraining.name(), List.of(pretraining)), main));
    }

    /** The objective of the last stage's first step: the one that fits the predicting towers. */
    public Objective mainObjective() {
        return stages.get(stages.size() - 1).steps().get(0).objective();
    }
}
