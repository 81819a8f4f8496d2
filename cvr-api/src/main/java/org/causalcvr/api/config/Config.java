package org.causalcvr.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A resolved, validated, immutable configuration: every key of its {@link ConfigSchema} with a
 * value (given or default). Obtain one from {@link ConfigSchema#resolve(Map)}.
 *
 * <p>Implementations turn it into their own validated option records; {@link #asStrings()} is what
 * a trained model records as provenance.
 */
public final class Config {
    private final ConfigSchema schema;
    private final Map<String, Object> values;

    Config(ConfigSchema schema, Map<String, Object> values) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public ConfigSchema schema() {
        return schema;
    }

    /** The value of {@code key}; the key must belong to this configuration's schema. */
    public <T> T get(ConfigKey<T> key) {
        if (!values.containsKey(key.name())) {
            throw schema.unknownKey(key.name());
        }
        return key.type().cast(values.get(key.name()));
    }

    /** A copy with {@code key} set to {@code value} (validated). */
    public <T> Config with(ConfigKey<T> key, T value) {
        get(key);
        var copy = new LinkedHashMap<>(values);
        copy.put(key.name(), key.validate(value));
        return new Config(schema, copy);
    }

    /** Every key and its value as written in configuration, in the schema's order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map<String, String> asStrings() {
        var out = new LinkedHashMap<String, String>();
        for (ConfigKey key : schema.keys()) {
            out.put(key.name(), key.format(values.get(key.name())));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c
                && c.values.equals(values)
                && c.schema.owner().equals(schema.owner());
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return schema.owner() + " " + asStrings();
    }
}
