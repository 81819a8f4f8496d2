package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which standard-error lines are the engine's own log, and who asked to see them. */
class EngineLogTest {
    @Test
    void libtorchInfoAndWarningLinesAreTheEnginesOwn() {
        assertThat(
                        EngineLog.isEngineLine(
                                "[W1130 05:12:59.020985321 LegacyTypeDispatch.h:74] Warning:"
                                        + " AutoNonVariableTypeMode is deprecated and will be"
                                        + " removed in 1.10 release. (function operator())"))
                .isTrue();
        assertThat(EngineLog.isEngineLine("[I1130 05:12:59.02 init.cpp:1] something")).isTrue();
    }

    @Test
    void theToolsOwnLinesAndEngineErrorsAreKept() {
        assertThat(EngineLog.isEngineLine("cvr: /tmp/x.arrow: not an Arrow file")).isFalse();
        assertThat(EngineLog.isEngineLine("Warning: test.arrow shares 2,000 rows")).isFalse();
        assertThat(EngineLog.isEngineLine("[E1130 05:12:59.02 x.cpp:1] an error")).isFalse();
    }

    @Test
    void verboseIsTheOptionOrTheVariable() {
        assertThat(EngineLog.verbose(List.of("evaluate", "--verbose"), Map.of())).isTrue();
        assertThat(EngineLog.verbose(List.of("evaluate"), Map.of("CVR_VERBOSE", "1"))).isTrue();
        assertThat(EngineLog.verbose(List.of("evaluate"), Map.of("CVR_VERBOSE", "0"))).isFalse();
        assertThat(EngineLog.verbose(List.of("evaluate"), Map.of())).isFalse();
    }
}
