package org.causalcvr.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
    enum Normalisation {
        EXPOSURE_COUNT,
        SELF_NORMALISED
    }

    static final ConfigKey<Double> RATE =
            ConfigKey.ofDouble(
                    "undersample-rate", 1.5, DoubleRange.positive(), "unclicked per click");
    static final ConfigKey<Double> PCT =
            ConfigKey.ofDouble("ipw-bound-pct", 0, DoubleRange.closed(0, 100), "bound");
    static final ConfigKey<Integer> K = ConfigKey.ofInt("positive-weight", 5, 1, 1000, "k");
    static final ConfigKey<Long> ROWS = ConfigKey.ofLong("rows", 10, 1, Long.MAX_VALUE, "rows");
    static final ConfigKey<Boolean> DETACH = ConfigKey.ofBoolean("detach", true, "stop gradient");
    static final ConfigKey<Normalisation> NORM =
            ConfigKey.ofEnum(
                    "normalisation", Normalisation.class, Normalisation.EXPOSURE_COUNT, "1/|D|");

    final ConfigSchema schema =
            new ConfigSchema("estimator multi-dr", List.of(RATE, PCT, K, ROWS, DETACH, NORM));

    @Test
    void absentKeysTakeTheirDefaults() {
        Config config = schema.defaults();

        assertThat(config.get(RATE)).isEqualTo(1.5);
        assertThat(config.get(K)).isEqualTo(5);
        assertThat(config.get(DETACH)).isTrue();
        assertThat(config.get(NORM)).isEqualTo(Normalisation.EXPOSURE_COUNT);
        assertThat(config.asStrings())
                .containsExactly(
                        Map.entry("undersample-rate", "1.5"),
                        Map.entry("ipw-bound-pct", "0.0"),
                        Map.entry("positive-weight", "5"),
                        Map.entry("rows", "10"),
                        Map.entry("detach", "true"),
                        Map.entry("normalisation", "exposure-count"));
    }

    @Test
    void givenValuesAreParsedAndValidated() {
        Config config =
                schema.resolve(
                        Map.of(
                                "undersample-rate", "3",
                                "ipw-bound-pct", "100",
                                "rows", "1e8",
                                "detach", "FALSE",
                                "normalisation", "self-normalised"));

        assertThat(config.get(RATE)).isEqualTo(3.0);
        assertThat(config.get(PCT)).isEqualTo(100.0);
        assertThat(config.get(ROWS)).isEqualTo(100_000_000L);
        assertThat(config.get(DETACH)).isFalse();
        assertThat(config.get(NORM)).isEqualTo(Normalisation.SELF_NORMALISED);
        assertThat(config.with(K, 7).get(K)).isEqualTo(7);
    }

    @Test
    void anUnknownKeyFailsAndSuggestsTheNearestKnownKey() {
        assertThatThrownBy(() -> schema.resolve(Map.of("undersampling-rate", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        "Unknown config key 'undersampling-rate' for estimator multi-dr"
                                + " (did you mean 'undersample-rate'?); known: undersample-rate,");
        assertThatThrownBy(() -> schema.resolve(Map.of("zzz", "2")))
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void outOfRangeValuesNameTheKeyTheValueAndTheAllowedRange() {
        assertThatThrownBy(() -> schema.resolve(Map.of("undersample-rate", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "Config key 'undersample-rate' = 0.0 is out of range: allowed (0, +inf)");
        assertThatThrownBy(() -> schema.resolve(Map.of("ipw-bound-pct", "100.5")))
                .hasMessage("Config key 'ipw-bound-pct' = 100.5 is out of range: allowed [0, 100]");
        assertThatThrownBy(() -> schema.resolve(Map.of("ipw-bound-pct", "NaN")))
                .hasMessage("Config key 'ipw-bound-pct' = NaN is out of range: allowed [0, 100]");
        assertThatThrownBy(() -> schema.resolve(Map.of("positive-weight", "0")))
                .hasMessage("Config key 'positive-weight' = 0 is out of range: allowed [1, 1000]");
        assertThatThrownBy(() -> schema.resolve(Map.of("normalisation", "none")))
                .hasMessage(
                        "Config key 'normalisation' = 'none' is not one of {exposure-count, self-normalised}");
        assertThatThrownBy(() -> schema.resolve(Map.of("detach", "yes")))
                .hasMessage("Config key 'detach' = 'yes' is not a boolean: allowed {true, false}");
        assertThatThrownBy(() -> schema.resolve(Map.of("positive-weight", "2.5")))
                .hasMessage("Config key 'positive-weight' = '2.5' is not an integer");
    }

    @Test
    void keysAreDeclaredOnceWithValidDefaultsAndWellFormedNames() {
        assertThatThrownBy(() -> new ConfigSchema("x", List.of(RATE, RATE)))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> ConfigKey.ofDouble("rate", -1, DoubleRange.positive(), "d"))
                .hasMessageContaining("outside (0, +inf)");
        assertThatThrownBy(() -> ConfigKey.ofDouble("Bad_Name", 1, DoubleRange.positive(), "d"))
                .hasMessageContaining("lower-case");
    }

    @Test
    void rangesPrintAndTestTheirEnds() {
        assertThat(DoubleRange.open(0, 1).contains(0)).isFalse();
        assertThat(DoubleRange.open(0, 1).contains(0.5)).isTrue();
        assertThat(DoubleRange.closed(0, 1).contains(1)).isTrue();
        assertThat(DoubleRange.closed(0, 1).contains(1.0000001)).isFalse();
        assertThat(DoubleRange.atLeast(1).toString()).isEqualTo("[1, +inf)");
        assertThat(DoubleRange.open(0, 0.5).toString()).isEqualTo("(0, 0.5)");
    }
}
