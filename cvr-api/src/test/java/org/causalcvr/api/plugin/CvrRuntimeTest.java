package org.causalcvr.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.estimator.Estimator;
import org.junit.jupiter.api.Test;

class CvrRuntimeTest {

    /** A second, independent plugin that claims a name of its own. */
    public static final class OtherPlugin extends AbstractModule implements CvrPlugin {
        @Override
        protected void configure() {
            CvrBinders.estimators(binder())
                    .addBinding("other")
                    .toInstance(new FakeEstimatorFactory("other"));
        }
    }

    /** Claims "fake", like {@link FakeEstimatorsPlugin}. */
    public static final class ClashingPlugin extends AbstractModule implements CvrPlugin {
        @Override
        protected void configure() {
            CvrBinders.estimators(binder())
                    .addBinding("fake")
                    .toInstance(new FakeEstimatorFactory());
        }
    }

    /** Binds a name to a factory that calls itself something else. */
    public static final class MisnamedPlugin extends AbstractModule implements CvrPlugin {
        @Override
        protected void configure() {
            CvrBinders.estimators(binder())
                    .addBinding("alias")
                    .toInstance(new FakeEstimatorFactory());
        }
    }

    @Test
    void discoversAPluginRegisteredOnlyThroughItsServicesFile() {
        CvrRuntime runtime = CvrRuntime.load();

        assertThat(runtime.plugins()).hasAtLeastOneElementOfType(FakeEstimatorsPlugin.class);
        assertThat(runtime.estimatorNames()).contains("fake");
        assertThat(runtime.pluginOfEstimator("fake"))
                .isEqualTo(FakeEstimatorsPlugin.class.getName());
        Estimator estimator = runtime.estimator("fake").create(Map.of("positive-weight", "2"));
        assertThat(estimator.name()).isEqualTo("fake");
        assertThat(estimator.config().get(FakeEstimatorFactory.WEIGHT)).isEqualTo(2.0);
    }

    @Test
    void collectsTheNamesOfEveryPluginSorted() {
        CvrRuntime runtime = CvrRuntime.of(List.of(new OtherPlugin(), new FakeEstimatorsPlugin()));

        assertThat(runtime.estimatorNames()).containsExactly("fake", "other");
        assertThat(runtime.backendNames()).isEmpty();
    }

    @Test
    void twoPluginsClaimingOneNameFailAtStartUpNamingBoth() {
        assertThatThrownBy(
                        () ->
                                CvrRuntime.of(
                                        List.of(new FakeEstimatorsPlugin(), new ClashingPlugin())))
                .isInstanceOf(DuplicateNameException.class)
                .hasMessageContaining("'fake'")
                .hasMessageContaining(FakeEstimatorsPlugin.class.getName())
                .hasMessageContaining(ClashingPlugin.class.getName())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFactoryWhoseNameDiffersFromItsKeyIsRefused() {
        assertThatThrownBy(() -> CvrRuntime.of(List.of(new MisnamedPlugin())))
                .hasMessageContaining("'alias'")
                .hasMessageContaining("'fake'");
    }

    @Test
    void anUnknownEstimatorNameListsTheKnownNamesAndSuggestsTheNearest() {
        CvrRuntime runtime = CvrRuntime.of(List.of(new FakeEstimatorsPlugin(), new OtherPlugin()));

        assertThatThrownBy(() -> runtime.estimator("fkae"))
                .isInstanceOf(UnknownNameException.class)
                .hasMessage("Unknown estimator 'fkae' (did you mean 'fake'?); known: fake, other");
        assertThatThrownBy(() -> runtime.backend("djl"))
                .isInstanceOf(UnknownNameException.class)
                .hasMessage("Unknown backend 'djl'; known: (none)");
    }

    @Test
    void anUnknownConfigKeyFailsWithTheNearestKnownOne() {
        var factory = CvrRuntime.of(List.of(new FakeEstimatorsPlugin())).estimator("fake");

        assertThatThrownBy(() -> factory.create(Map.of("positive-weigth", "3")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Unknown config key 'positive-weigth' for estimator fake"
                                + " (did you mean 'positive-weight'?); known: positive-weight");
    }

    @Test
    void anOutOfRangeConfigValueNamesTheKeyTheValueAndTheRange() {
        var factory = CvrRuntime.of(List.of(new FakeEstimatorsPlugin())).estimator("fake");

        assertThatThrownBy(() -> factory.create(Map.of("positive-weight", "0.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Config key 'positive-weight' = 0.5 is out of range: allowed [1, +inf)");
        assertThatThrownBy(() -> factory.create(Map.of("positive-weight", "lots")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Config key 'positive-weight' = 'lots' is not a number");
    }
}
