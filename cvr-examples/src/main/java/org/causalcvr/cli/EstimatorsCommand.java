package org.causalcvr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
        var list = new ArrayList<Map<String, Object>>();
        for (EstimatorFactory f : factories) {
            String plugin = runtime.pluginOfEstimator(f.name());
            if (json) {
                list.add(ConfigListing.json(f.name(), f.description(), f.configSchema(), plugin));
            } else {
                ConfigListing.text(out, f.name(), f.description(), f.configSchema(), plugin);
            }
        }
        if (json) {
            out.println(Json.write(list));
        }
        return 0;
    }
}
