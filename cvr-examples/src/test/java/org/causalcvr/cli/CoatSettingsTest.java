package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Set;
import org.causalcvr.api.plugin.CvrRuntime;
import org.junit.jupiter.api.Test;

/**
 * The built-in settings of {@code compare --dataset coat}: every entry names a registered estimator
 * and only settings that it or the backend accepts, and the file says how it was found.
 */
class CoatSettingsTest {
    @Test
    void everyEntryIsAValidSettingOfItsEstimatorAndTheBackend() {
        var file = CompareCommand.builtInCoatSettings();
        var runtime = CvrRuntime.load();
        assertThat(file.estimators()).containsKeys("base", "multi-ipw", "multi-dr");
        assertThat(file.note()).isNotBlank();
        for (String name : file.estimators().keySet()) {
            var routed =
                    file.route(
                            name,
                            runtime.estimator(name).configSchema(),
                            runtime.backend("djl").configSchema(),
                            Set.of(),
                            "coat.json");
            runtime.estimator(name).create(routed.estimator());
            var backend = new LinkedHashMap<>(routed.backend());
            backend.put("seed", "1");
            runtime.backend("djl").create(backend).close();
            assertThat(routed.backend()).containsKeys("preset", "epochs");
        }
    }
}
