package org.causalcvr.cli;

import java.util.List;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.plugin.CvrRuntime;
import picocli.CommandLine.Command;

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
final class BackendsCommand extends ConfigListing {
    @Override
    List<Listed> components(CvrRuntime runtime, String only) {
        List<String> names = only != null ? List.of(only) : List.copyOf(runtime.backendNames());
        return names.stream()
                .map(
                        name -> {
                            BackendFactory b = runtime.backend(name);
                            return new Listed(
                                    b.name(),
                                    b.description(),
                                    b.configSchema(),
                                    runtime.pluginOfBackend(name));
                        })
                .toList();
    }
}
