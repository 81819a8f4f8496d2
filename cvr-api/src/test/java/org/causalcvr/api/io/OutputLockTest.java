package org.causalcvr.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.causalcvr.api.CvrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputLockTest {
    @Test
    void aSecondClaimOnTheSamePathIsRefusedInOneLineUntilTheFirstIsReleased(@TempDir Path dir) {
        Path model = dir.resolve("model");
        try (OutputLock first = OutputLock.acquire(model, "model folder")) {
            assertThat(first.file()).isEqualTo(dir.resolve(".model.lock"));
            assertThat(Files.exists(first.file())).isTrue();
            assertThatThrownBy(() -> OutputLock.acquire(model, "model folder"))
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("model folder " + model)
                    .hasMessageContaining("being written by another run")
                    .hasMessageNotContaining("\n");
            // Another path is free.
            OutputLock.acquire(dir.resolve("other"), "model folder").close();
        }
        assertThat(Files.exists(dir.resolve(".model.lock"))).isFalse();
        OutputLock.acquire(model, "model folder").close();
    }

    @Test
    void aLockFileLeftByADeadProcessIsTakenOver(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        // What a run killed with kill -9 leaves: the file with its pid, and no lock on it.
        Files.writeString(OutputLock.lockFile(model), "999999999\n");
        try (OutputLock lock = OutputLock.acquire(model, "model folder")) {
            assertThat(Files.readString(lock.file()).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
        assertThat(Files.exists(OutputLock.lockFile(model))).isFalse();
    }

    @Test
    void theTargetItselfIsNeverTouched(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        Files.createDirectories(model);
        Files.writeString(model.resolve("thesis.txt"), "x");
        OutputLock.acquire(model, "model folder").close();
        assertThat(Files.readString(model.resolve("thesis.txt"))).isEqualTo("x");
    }
}
