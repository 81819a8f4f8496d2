package org.causalcvr.experiments.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The settings chosen for one estimator in one world on the world's validation sample: each
 * candidate combination trained once per choosing seed and scored on validation (the score of the
 * epoch early stopping kept, averaged over the seeds), the best one used by the study's runs.
 *
 * @param chosen the chosen value of each setting, such as {@code learning-rate=0.003}
 * @param scoreBySettings per candidate combination ({@link #text}), in the order tried: its mean
 *     validation score over {@code seeds} (NaN when its run failed on any of them)
 * @param score the name of the validation score, such as {@code cvr-exposure-true:auc}
 * @param seeds the backend seeds every combination trained with, at least one
 */
public record SettingChoice(
        Map<String, String> chosen,
        Map<String, Double> scoreBySettings,
        String score,
        List<Long> seeds) {
    public SettingChoice {
        chosen = Collections.unmodifiableMap(new LinkedHashMap<>(chosen));
        scoreBySettings = Collections.unmodifiableMap(new LinkedHashMap<>(scoreBySettings));
        Objects.requireNonNull(score);
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("A choice is made on at least one seed");
        }
    }

    /** Settings as {@code key=value} pairs joined by commas, in order. */
    public static String text(Map<String, String> settings) {
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** The chosen settings as text. */
    public String chosenText() {
        return text(chosen);
    }
}
