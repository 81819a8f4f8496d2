package org.causalcvr.backend.djl.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.backend.djl.DjlBackendTest;
import org.causalcvr.backend.djl.SyntheticWorld;
import org.causalcvr.backend.djl.TestEstimators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run resumes only from a checkpoint of the same training (estimator, data, every option that
 * changes the result), says so in one line, and otherwise refuses naming what differs.
 */
class ResumeTest {
    private static final InMemoryExposureSource DATA = SyntheticWorld.small(1200, 8);
    private static final InMemoryExposureSource OTHER_DATA = SyntheticWorld.small(1200, 9);

    /** Collects notes. */
    static final class Notes implements TrainingListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void onNote(String line) {
            lines.add(line);
        }
    }

    private static void train(
            Path ck, InMemoryExposureSource data, Map<String, String> extra, TrainingListener l) {
        var settings = new HashMap<String, String>(Map.of("epochs", "2", "checkpoint-every", "3"));
        settings.putAll(extra);
        try (var backend = DjlBackendTest.backend(settings);
                var model =
                        backend.train(
                                new TrainingRequest(
                                        TestEstimators.esmmLike(),
                                        data,
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.of(ck),
                                        l))) {
            assertThat(model.towers()).isNotEmpty();
        }
    }

    /** A checkpoint of a run killed at step 4 (its checkpoint is that of step 3). */
    private static Path interrupted(Path dir) {
        Path ck = dir.resolve("ck");
        assertThatThrownBy(() -> train(ck, DATA, Map.of(), new DjlBackendTest.KillAt(4)))
                .hasMessageContaining("killed at step 4");
        return ck;
    }

    @Test
    void resumingSaysFromWhichStepInOneLine(@TempDir Path dir) {
        Path ck = interrupted(dir);
        var notes = new Notes();
        // Threads change how the work is done, not the result: still the same training.
        train(ck, DATA, Map.of("threads", "2", "progress-every", "5"), notes);
        assertThat(notes.lines).hasSize(1);
        assertThat(notes.lines.get(0))
                .startsWith("Resuming from checkpoint " + ck.resolve("checkpoint"))
                .contains("at step 3")
                .doesNotContain("\n");
    }

    @Test
    void aCheckpointOfOtherDataIsRefused(@TempDir Path dir) {
        Path ck = interrupted(dir);
        assertThatThrownBy(() -> train(ck, OTHER_DATA, Map.of(), TrainingListener.NONE))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining("training data")
                .hasMessageContaining("refusing to resume")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aCheckpointOfAnotherLearningRateBatchSizeOrEpochsIsRefused(@TempDir Path dir) {
        Path ck = interrupted(dir);
        assertThatThrownBy(
                        () ->
                                train(
                                        ck,
                                        DATA,
                                        Map.of("learning-rate", "0.02"),
                                        TrainingListener.NONE))
                .hasMessageContaining("'learning-rate' was 0.01, now 0.02");
        assertThatThrownBy(
                        () -> train(ck, DATA, Map.of("batch-size", "128"), TrainingListener.NONE))
                .hasMessageContaining("'batch-size' was 256, now 128");
        assertThatThrownBy(() -> train(ck, DATA, Map.of("epochs", "3"), TrainingListener.NONE))
                .hasMessageContaining("'epochs' was 2, now 3");
        assertThatThrownBy(() -> train(ck, DATA, Map.of("seed", "43"), TrainingListener.NONE))
                .hasMessageContaining("'seed' was 42, now 43");
    }
}
