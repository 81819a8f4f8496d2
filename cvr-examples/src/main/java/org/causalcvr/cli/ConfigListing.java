package org.causalcvr.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.plugin.CvrRuntime;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that lists named plugin components with their config keys ({@code cvr estimators},
 * {@code cvr backends}): per component one text block (name and description, a line per key with
 * its default, allowed values and meaning, the plugin) or one JSON object.
 */
abstract class ConfigListing implements Callable<Integer> {
    /** One listed component. */
    record Listed(String name, String description, ConfigSchema schema, String plugin) {}

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--name", paramLabel = "NAME", description = "Only this one.")
    String only;

    /** Every component of the runtime, or only the one named {@code only} (an error if unknown). */
    abstract List<Listed> components(CvrRuntime runtime, String only);

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var list = new ArrayList<Map<String, Object>>();
        for (Listed c : components(Cvr.runtime(spec), only)) {
            if (json) {
                list.add(json(c));
            } else {
                out.printf("%-20s %s%n", c.name(), c.description());
                for (ConfigKey<?> key : c.schema().keys()) {
                    out.printf(
                            "    %-26s default %-16s allowed %-24s %s%n",
                            key.name(), formatDefault(key), key.allowed(), key.description());
                }
                out.printf("    (plugin %s)%n", c.plugin());
            }
        }
        if (json) {
            out.println(Json.write(list));
        }
        return 0;
    }

    private static Map<String, Object> json(Listed c) {
        var entry = new LinkedHashMap<String, Object>();
        entry.put("name", c.name());
        entry.put("description", c.description());
        entry.put("plugin", c.plugin());
        List<Map<String, String>> keys = new ArrayList<>();
        for (ConfigKey<?> key : c.schema().keys()) {
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
