package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.causalcvr.api.plugin.CvrRuntime;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The built-in settings of the default {@code cvr demo} (tuned/demo.json): every estimator the demo
 * runs has an entry of settings it or the backend accepts, the file says how it was chosen, and
 * only the default world, size, backend and network read it.
 */
class DemoSettingsTest {
    @Test
    void everyEstimatorOfTheDemoHasAValidTunedEntry() {
        var file = CompareCommand.builtInSettings(DemoCommand.DEMO_SETTINGS);
        var runtime = CvrRuntime.load();
        assertThat(file.tuned()).isTrue();
        for (String name : DemoCommand.PAPER_ESTIMATORS.split(",")) {
            assertThat(file.of(name)).as(name).isPresent();
            assertThat(file.note()).as(name).contains(name + ": chosen by cvr study");
            var routed = SettingsEntries.routedAndBuilt(file, name, runtime, "demo.json");
            assertThat(routed.backend()).as(name).containsKeys("learning-rate", "epochs");
        }
    }

    @Test
    void onlyTheDefaultWorldSizeAndNetworkReadTheTunedFile() {
        assertThat(demo().isDefaultWorldAndNetwork()).isTrue();
        assertThat(
                        demo("--seeds", "5", "--test-rows", "1000", "--epochs", "2")
                                .isDefaultWorldAndNetwork())
                .as("seeds, test rows and epochs do not change what was chosen")
                .isTrue();
        assertThat(demo("--preset", "esmm-official").isDefaultWorldAndNetwork()).isTrue();
        assertThat(demo("--rows", "200000").isDefaultWorldAndNetwork()).isFalse();
        assertThat(demo("--cvr", "0.1").isDefaultWorldAndNetwork()).isFalse();
        assertThat(demo("--world-seed", "7").isDefaultWorldAndNetwork()).isFalse();
        assertThat(demo("--world", "small").isDefaultWorldAndNetwork()).isFalse();
        assertThat(demo("--preset", "small").isDefaultWorldAndNetwork()).isFalse();
        assertThat(demo("--batch-size", "256").isDefaultWorldAndNetwork()).isFalse();
        assertThat(demo("--backend", "another").isDefaultWorldAndNetwork())
                .as("the learning rates were chosen for the djl backend")
                .isFalse();
    }

    private static DemoCommand demo(String... args) {
        var command = new DemoCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
