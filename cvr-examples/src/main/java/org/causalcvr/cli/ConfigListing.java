package org.causalcvr.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;

/**
 * How {@code cvr estimators} and {@code cvr backends} list a named plugin component and its config
 * keys: one text block (name and description, a line per key with its default, allowed values and
 * meaning, the plugin) or one JSON object.
 */
final class ConfigListing {
    private ConfigListing() {}

    static void text(
            PrintWriter out, String name, String description, ConfigSchema schema, String plugin) {
        out.printf("%-20s %s%n", name, description);
        for (ConfigKey<?> key : schema.keys()) {
            out.printf(
                    "    %-26s default %-16s allowed %-24s %s%n",
                    key.name(), formatDefault(key), key.allowed(), key.description());
        }
        out.printf("    (plugin %s)%n", plugin);
    }

    static Map<String, Object> json(
            String name, String description, ConfigSchema schema, String plugin) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("name", name);
        entry.put("description", description);
        entry.put("plugin", plugin);
        List<Map<String, String>> keys = new ArrayList<>();
        for (ConfigKey<?> key : schema.keys()) {
            var m = new LinkedHashMap<String, String>();
            m.put("key", key.name());
            m.put("default", formatDefault(key));
            m.put("allowed", key.allowed());
            m.put("description", key.description());
            keys.add(m);
        }
        entry.put("config", keys);
        return entry;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String formatDefault(ConfigKey key) {
        return key.format(key.defaultValue());
    }
}
