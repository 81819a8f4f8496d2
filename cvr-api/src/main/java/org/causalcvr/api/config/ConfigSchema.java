package org.causalcvr.api.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.Names;

/**
 * The keys an estimator, backend or tool accepts, and the strict resolution of a flat string map
 * against them.
 *
 * <p>Strictness is the point: an unknown key fails (with the nearest known key suggested), so that
 * {@code undersampling-rate=3} cannot silently leave the default in force.
 */
public final class ConfigSchema {
    private final String owner;
    private final Map<String, ConfigKey<?>> keys;

    /**
     * @param owner what the keys configure, used in messages ({@code estimator multi-dr})
     * @param keys the keys, in the order they are documented; names must be unique
     */
    public ConfigSchema(String owner, List<ConfigKey<?>> keys) {
        this.owner = owner;
        var map = new LinkedHashMap<String, ConfigKey<?>>();
        for (ConfigKey<?> key : keys) {
            if (map.put(key.name(), key) != null) {
                throw new IllegalArgumentException(
                        "Config key '" + key.name() + "' declared twice for " + owner);
            }
        }
        this.keys = Collections.unmodifiableMap(map);
    }

    /** A schema with no keys. */
    public static ConfigSchema empty(String owner) {
        return new ConfigSchema(owner, List.of());
    }

    /** This schema's keys followed by {@code other}'s; a key in both is an error. */
    public ConfigSchema plus(ConfigSchema other) {
        var all = new ArrayList<ConfigKey<?>>(keys.values());
        all.addAll(other.keys());
        return new ConfigSchema(owner, all);
    }

    public String owner() {
        return owner;
    }

    public List<ConfigKey<?>> keys() {
        return List.copyOf(keys.values());
    }

    public Optional<ConfigKey<?>> key(String name) {
        return Optional.ofNullable(keys.get(name));
    }

    /** The configuration with every key at its default. */
    public Config defaults() {
        return resolve(Map.of());
    }

    /**
     * Parses and validates every entry of {@code raw}; keys that are absent take their default.
     *
     * @throws ConfigException for an unknown key (naming the nearest known key and {@link
     *     #owner()}), a value that does not parse, or one outside its range
     */
    public Config resolve(Map<String, String> raw) {
        for (String name : raw.keySet()) {
            if (!keys.containsKey(name)) {
                throw unknownKey(name);
            }
        }
        var values = new LinkedHashMap<String, Object>();
        for (ConfigKey<?> key : keys.values()) {
            String text = raw.get(key.name());
            values.put(key.name(), text == null ? key.defaultValue() : key.parse(text));
        }
        return new Config(this, values);
    }

    ConfigException unknownKey(String name) {
        var suggestion = Names.nearest(name, keys.keySet());
        return new ConfigException(
                "Unknown config key '"
                        + name
                        + "' for "
                        + owner
                        + suggestion.map(s -> " (did you mean '" + s + "'?)").orElse("")
                        + "; known: "
                        + (keys.isEmpty() ? "(none)" : String.join(", ", keys.keySet())));
    }
}
