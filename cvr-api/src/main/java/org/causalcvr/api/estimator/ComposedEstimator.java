package org.causalcvr.api.estimator;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.causalcvr.api.config.Config;

/**
 * An {@link Estimator} assembled from its parts, validated at construction: tower names are unique,
 * a CVR tower exists, and every tower an objective, propensity or imputation reads is built.
 */
public record ComposedEstimator(
        String name,
        Config config,
        List<Tower> towers,
        Propensity propensity,
        Imputation imputation,
        TrainingSchedule schedule,
        OptionalDouble unclickedSamplingRate)
        implements Estimator {

    public ComposedEstimator {
        towers = List.copyOf(towers);
        Set<String> names = new HashSet<>();
        for (Tower t : towers) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException(
                        "Estimator " + name + " lists tower '" + t.name() + "' twice");
            }
        }
        if (!names.contains(TowerNames.CVR)) {
            throw new IllegalArgumentException(
                    "Estimator " + name + " has no '" + TowerNames.CVR + "' tower");
        }
        requireTowers(name, names, propensity.towers(), "propensity " + propensity.name());
        requireTowers(name, names, imputation.towers(), "imputation " + imputation.name());
        for (TrainingStage stage : schedule.stages()) {
            for (TrainingStep step : stage.steps()) {
                requireTowers(
                        name,
                        names,
                        step.objective().towers(),
                        "objective " + step.objective().name());
                requireTowers(name, names, step.trainableTowers(), "step " + step.name());
            }
        }
        unclickedSamplingRate.ifPresent(
                rate -> {
                    if (!(rate > 0) || Double.isInfinite(rate)) {
                        throw new IllegalArgumentException(
                                "Estimator "
                                        + name
                                        + ": unclicked sampling rate "
                                        + rate
                                        + " is outside (0, +inf)");
                    }
                });
    }

    private static void requireTowers(
            String estimator, Set<String> built, Set<String> needed, String who) {
        for (String t : needed) {
            if (!built.contains(t)) {
                throw new IllegalArgumentException(
                        "Estimator "
                                + estimator
                                + ": "
                                + who
                                + " reads tower '"
                                + t
                                + "', which is not built "
                                + built);
            }
        }
    }
}
