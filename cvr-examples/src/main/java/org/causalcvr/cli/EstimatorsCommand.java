package org.causalcvr.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.plugin.CvrRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr estimators}: every estimator the plugins registered, with its config keys. */
@Command(
        name = "estimators",
        mixinStandardHelpOptions = true,
        description =
                "List every estimator found through the plugin mechanism, with its config keys.")
final class EstimatorsCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--name", paramLabel = "NAME", description = "Only this estimator.")
    String only;

    @Override
    public Integer call() {
        CvrRuntime runtime = Cvr.runtime(spec);
        var out = spec.commandLine().getOut();
        List<EstimatorFactory> factories = new ArrayList<>();
        if (only != null) {
            factories.add(runtime.estimator(only));
        } else {
            factories.addAll(runtime.estimators().values());
        }
        if (json) {
            var list = new ArrayList<Map<String, Object>>();
            for (EstimatorFactory f : factories) {
                var entry = new LinkedHashMap<String, Object>();
                entry.put("name", f.name());
                entry.put("description", f.description());
                entry.put("plugin", runtime.pluginOfEstimator(f.name()));
                var keys = new ArrayList<Map<String, String>>();
                for (ConfigKey<?> key : f.configSchema().keys()) {
                    keys.add(keyMap(key));
                }
                entry.put("config", keys);
                list.add(entry);
            }
            out.println(Json.write(list));
            return 0;
        }
        for (EstimatorFactory f : factories) {
            out.printf("%-20s %s%n", f.name(), f.description());
            for (ConfigKey<?> key : f.configSchema().keys()) {
                out.printf(
                        "    %-26s default %-16s allowed %-24s %s%n",
                        key.name(), formatDefault(key), key.allowed(), key.description());
            }
            out.printf("    (plugin %s)%n", runtime.pluginOfEstimator(f.name()));
        }
        return 0;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String formatDefault(ConfigKey key) {
        return key.format(key.defaultValue());
    }

    private static Map<String, String> keyMap(ConfigKey<?> key) {
        var m = new LinkedHashMap<String, String>();
        m.put("key", key.name());
        m.put("default", formatDefault(key));
        m.put("allowed", key.allowed());
        m.put("description", key.description());
        return m;
    }
}
