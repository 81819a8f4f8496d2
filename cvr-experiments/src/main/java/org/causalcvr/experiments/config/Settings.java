package org.causalcvr.experiments.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.causalcvr.api.Names;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigSchema;

/**
 * {@code key=value} settings (the CLI's {@code --set}), routed to the estimator's or the backend's
 * configuration by which of the two declares the key, so users need not know which component owns a
 * setting.
 *
 * @param estimator the pairs some estimator's schema declares
 * @param backend the pairs the backend's schema declares
 */
public record Settings(Map<String, String> estimator, Map<String, String> backend) {

    /** Parses {@code key=value} pairs; a malformed one fails naming it. */
    public static Map<String, String> parsePairs(List<String> pairs, String option) {
        var out = new LinkedHashMap<String, String>();
        for (String pair : pairs == null ? List.<String>of() : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(
                        "Option " + option + " '" + pair + "' is not of the form key=value");
            }
            String key = pair.substring(0, eq).trim();
            if (out.put(key, pair.substring(eq + 1).trim()) != null) {
                throw new ConfigException("Option " + option + " sets '" + key + "' twice");
            }
        }
        return out;
    }

    /**
     * Splits {@code pairs} between the two schemas. A key in neither fails with the nearest key of
     * either; a key in both goes to both.
     */
    public static Settings route(List<String> pairs, ConfigSchema estimator, ConfigSchema backend) {
        var est = new LinkedHashMap<String, String>();
        var back = new LinkedHashMap<String, String>();
        for (var entry : parsePairs(pairs, "--set").entrySet()) {
            boolean forEstimator = estimator.key(entry.getKey()).isPresent();
            boolean forBackend = backend.key(entry.getKey()).isPresent();
            if (!forEstimator && !forBackend) {
                var known = new TreeSet<String>();
                estimator.keys().forEach(k -> known.add(k.name()));
                backend.keys().forEach(k -> known.add(k.name()));
                throw new ConfigException(
                        "Unknown key '"
                                + entry.getKey()
                                + "' in --set for "
                                + estimator.owner()
                                + " and "
                                + backend.owner()
                                + Names.nearest(entry.getKey(), known)
                                        .map(s -> " (did you mean '" + s + "'?)")
                                        .orElse("")
                                + "; known: "
                                + String.join(", ", known));
            }
            if (forEstimator) {
                est.put(entry.getKey(), entry.getValue());
            }
            if (forBackend) {
                back.put(entry.getKey(), entry.getValue());
            }
        }
        return new Settings(est, back);
    }

    /** Splits a comma-separated option into trimmed, non-empty items. */
    public static List<String> list(String commaSeparated) {
        var out = new ArrayList<String>();
        for (String s : commaSeparated.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
