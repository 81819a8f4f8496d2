package org.causalcvr.cli;

import java.util.LinkedHashMap;
import java.util.Set;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.config.SettingsFile;

/** For tests of settings files: an entry routed and built as a run builds it. */
final class SettingsEntries {
    private SettingsEntries() {}

    /**
     * {@code name}'s entry of {@code file} routed to the estimator and the djl backend, after both
     * were created from it (so a key either refuses, or a value out of range, fails here).
     */
    static Settings routedAndBuilt(
            SettingsFile file, String name, CvrRuntime runtime, String fileName) {
        var routed =
                file.route(
                        name,
                        runtime.estimator(name).configSchema(),
                        runtime.backend("djl").configSchema(),
                        Set.of(),
                        fileName);
        runtime.estimator(name).create(routed.estimator());
        var backend = new LinkedHashMap<>(routed.backend());
        backend.put("seed", "1");
        runtime.backend("djl").create(backend).close();
        return routed;
    }
}
