package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.plugin.CvrRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DjlBackendTest {
    private static final Map<String, String> SMALL =
            Map.of(
                    "preset",
                    "small",
                    "threads",
                    "1",
                    "progress-every",
                    "1",
                    "shuffle-rows",
                    "1000");
    private static InMemoryExposureSource world;
    private static InMemoryExposureSource holdout;

    @BeforeAll
    static void world() {
        world = SyntheticWorld.small(3000, 1);
        holdout =
                SyntheticWorld.source(
                        SyntheticWorld.generate(world.schema(), 500, 2), 256, "holdout");
    }

    static DjlBackend backend(Map<String, String> extra) {
        var settings = new HashMap<>(SMALL);
        settings.putAll(extra);
        return new DjlBackendFactory().create(DjlOptions.SCHEMA.resolve(settings));
    }

    static TrainingRequest request(
            Estimator estimator, Optional<Path> checkpoints, TrainingListener listener) {
        return new TrainingRequest(
                estimator, world, Optional.empty(), Optional.empty(), checkpoints, listener);
    }

    /** Records the loss terms of every step. */
    static final class Recorder implements TrainingListener {
        final List<TrainingProgress> progress = new ArrayList<>();

        @Override
        public void onProgress(TrainingProgress p) {
            progress.add(p);
        }

        double meanTotal(int from, int to) {
            double s = 0;
            for (int i = from; i < to; i++) {
                s +=
                        progress.get(i).losses().values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum();
            }
            return s / (to - from);
        }
    }

    @Test
    void pluginRegistersTheDjlBackendWithAStrictSchema() {
        var runtime = CvrRuntime.of(List.of(new DjlBackendModule()));
        var factory = runtime.backend("djl");
        assertThat(factory).isInstanceOf(DjlBackendFactory.class);
        assertThatThrownBy(() -> factory.create(Map.of("learning-rat", "0.1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("learning-rate");
        assertThatThrownBy(() -> factory.create(Map.of("hidden-sizes", "512-x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hidden-sizes");
        var paper = DjlOptions.from(Map.of("preset", "paper-production"));
        assertThat(paper.hiddenSizes()).containsExactly(1024, 512, 256, 128, 32);
        assertThat(paper.batchSize()).isEqualTo(10000);
        assertThat(paper.l2Imputation()).isEqualTo(1e-4);
        var esmm = DjlOptions.from(Map.of("preset", "esmm-official", "batch-size", "64"));
        assertThat(esmm.embeddingDim()).isEqualTo(12);
        assertThat(esmm.batchSize()).isEqualTo(64);
    }

    @Test
    void trainsAndTheLossGoesDown() {
        var recorder = new Recorder();
        try (var backend = backend(Map.of("epochs", "4"));
                var model =
                        backend.train(
                                request(TestEstimators.esmmLike(), Optional.empty(), recorder))) {
            int n = recorder.progress.size();
            assertThat(n).isGreaterThan(20);
            assertThat(recorder.meanTotal(n - 5, n)).isLessThan(recorder.meanTotal(0, 5));
            Predictions p = model.predict(holdout.data());
            assertThat(p.size()).isEqualTo(500);
            for (int i = 0; i < p.size(); i++) {
                assertThat(p.ctr()[i]).isBetween(0f, 1f);
                assertThat(p.cvr()[i]).isBetween(0f, 1f);
            }
            assertThat(model.trainingStats().steps()).isEqualTo(4L * 12);
            assertThat(model.provenance().estimator()).isEqualTo("esmm-like");
            assertThat(model.provenance().dataFingerprint()).isEqualTo(world.fingerprint());
        }
    }
}
