package org.causalcvr.experiments.run;

import java.util.Map;

/**
 * One configured estimator of a comparison: the label its row has in tables, the registered
 * estimator name and its settings (validated against the estimator's schema before any training).
 *
 * @param label the row label (the estimator name, or {@code key=value} in a sweep)
 * @param estimator the registered estimator name
 * @param settings the estimator's settings, as {@code key=value} strings
 * @param backendSettings backend settings for this arm's runs only (a tuned learning rate or
 *     epochs), over the runner's own; never {@code seed}
 */
public record Arm(
        String label,
        String estimator,
        Map<String, String> settings,
        Map<String, String> backendSettings) {
    public Arm {
        settings = Map.copyOf(settings);
        backendSettings = Map.copyOf(backendSettings);
        if (backendSettings.containsKey("seed")) {
            throw new IllegalArgumentException("An arm's backend seed is set per run");
        }
    }

    /** An arm with the runner's backend settings. */
    public Arm(String label, String estimator, Map<String, String> settings) {
        this(label, estimator, settings, Map.of());
    }

    /** The estimator {@code name} with its default settings, labelled by its name. */
    public static Arm of(String name) {
        return new Arm(name, name, Map.of());
    }
}
