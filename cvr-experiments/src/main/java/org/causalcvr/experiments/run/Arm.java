package org.causalcvr.experiments.run;

import java.util.Map;

/**
 * One configured estimator of a comparison: the label its row has in tables, the registered
 * estimator name and its settings (validated against the estimator's schema before any training).
 *
 * @param label the row label (the estimator name, or {@code key=value} in a sweep)
 * @param estimator the registered estimator name
 * @param settings the estimator's settings, as {@code key=value} strings
 */
public record Arm(String label, String estimator, Map<String, String> settings) {
    public Arm {
        settings = Map.copyOf(settings);
    }

    /** The estimator {@code name} with its default settings, labelled by its name. */
    public static Arm of(String name) {
        return new Arm(name, name, Map.of());
    }
}
