package org.causalcvr.experiments.study;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A backend setting chosen for one estimator in one world on the world's validation sample: each
 * candidate value trained once and scored on validation (the score of the epoch early stopping
 * kept), the best one used by the study's runs.
 *
 * @param key the setting, such as {@code learning-rate}
 * @param scoreByValue per candidate value, in the order tried: its validation score (NaN when the
 *     run failed)
 * @param chosen the value with the best score (the first of equals)
 * @param score the validation score the name of which the study stops early by, such as {@code
 *     cvr-exposure-true:auc}
 */
public record SettingChoice(
        String key, Map<String, Double> scoreByValue, String chosen, String score) {
    public SettingChoice {
        Objects.requireNonNull(key);
        scoreByValue = Collections.unmodifiableMap(new LinkedHashMap<>(scoreByValue));
        Objects.requireNonNull(chosen);
        Objects.requireNonNull(score);
    }
}
