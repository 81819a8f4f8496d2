package org.causalcvr.cli;

import java.util.ArrayList;
import java.util.List;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.plugin.CvrRuntime;
import picocli.CommandLine.Command;

/** {@code cvr estimators}: every estimator the plugins registered, with its config keys. */
@Command(
        name = "estimators",
        mixinStandardHelpOptions = true,
        description =
                "List every estimator found through the plugin mechanism, with its config keys.")
final class EstimatorsCommand extends ConfigListing {
    @Override
    List<Listed> components(CvrRuntime runtime, String only) {
        List<EstimatorFactory> factories =
                only != null
                        ? List.of(runtime.estimator(only))
                        : new ArrayList<>(runtime.estimators().values());
        return factories.stream()
                .map(
                        f ->
                                new Listed(
                                        f.name(),
                                        f.description(),
                                        f.configSchema(),
                                        runtime.pluginOfEstimator(f.name())))
                .toList();
    }
}
