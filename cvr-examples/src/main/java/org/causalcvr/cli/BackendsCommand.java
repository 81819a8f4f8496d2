package org.causalcvr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.plugin.CvrRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cvr backends}: every training backend the plugins registered, with its config keys (the
 * network, the optimiser and its step-size schedule, the input pipeline), which {@code --set},
 * settings files and {@code cvr tune --space} accept beside an estimator's own.
 */
@Command(
        name = "backends",
        mixinStandardHelpOptions = true,
        description =
                "List every training backend found through the plugin mechanism, with its config"
                        + " keys (network, optimiser, step-size schedule, input pipeline).")
final class BackendsCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--name", paramLabel = "NAME", description = "Only this backend.")
    String only;

    @Override
    public Integer call() {
        CvrRuntime runtime = Cvr.runtime(spec);
        var out = spec.commandLine().getOut();
        List<String> names = only != null ? List.of(only) : List.copyOf(runtime.backendNames());
        var list = new ArrayList<Map<String, Object>>();
        for (String name : names) {
            BackendFactory b = runtime.backend(name);
            String plugin = runtime.pluginOfBackend(name);
            if (json) {
                list.add(ConfigListing.json(b.name(), b.description(), b.configSchema(), plugin));
            } else {
                ConfigListing.text(out, b.name(), b.description(), b.configSchema(), plugin);
            }
        }
        if (json) {
            out.println(Json.write(list));
        }
        return 0;
    }
}
