package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.backend.djl.checkpoint.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two trainings in one JVM (a sweep on a thread pool, two Spark tasks in one executor) run side by
 * side: DJL's PyTorch engine records one gradient at a time per JVM, and the step serialises its
 * recorded part, so neither crashes and each ends with the model it trains alone. Two runs into one
 * checkpoint folder are refused in one line.
 */
class ConcurrentTrainingTest {
    private static final InMemoryExposureSource DATA = SyntheticWorld.small(1500, 12);

    private static byte[] train(Estimator estimator, String seed, Path model) throws Exception {
        try (var backend = DjlBackendTest.backend(Map.of("seed", seed, "epochs", "2"));
                var trained = backend.train(TrainingRequest.of(estimator, DATA))) {
            trained.save(model);
        }
        return Files.readAllBytes(model.resolve(ModelFiles.PARAMS));
    }

    @Test
    void twoTrainingsAtOnceEqualTheirSequentialCounterparts(@TempDir Path dir) throws Exception {
        byte[] a = train(TestEstimators.multiDrLike(), "1", dir.resolve("a"));
        byte[] b = train(TestEstimators.esmmLike(), "2", dir.resolve("b"));
        for (int round = 0; round < 2; round++) {
            Path ra = dir.resolve("a" + round);
            Path rb = dir.resolve("b" + round);
            var fa =
                    CompletableFuture.supplyAsync(
                            () -> unchecked(() -> train(TestEstimators.multiDrLike(), "1", ra)));
            var fb =
                    CompletableFuture.supplyAsync(
                            () -> unchecked(() -> train(TestEstimators.esmmLike(), "2", rb)));
            assertThat(fa.get(5, TimeUnit.MINUTES)).isEqualTo(a);
            assertThat(fb.get(5, TimeUnit.MINUTES)).isEqualTo(b);
        }
    }

    @Test
    void aSecondRunIntoTheSameCheckpointFolderIsRefused(@TempDir Path dir) throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        TrainingListener holdAtFirstStep =
                new TrainingListener() {
                    @Override
                    public void onProgress(TrainingProgress p) {
                        started.countDown();
                        try {
                            release.await(2, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                };
        Path ck = dir.resolve("ck");
        var first =
                CompletableFuture.runAsync(
                        () -> {
                            try (var backend = DjlBackendTest.backend(Map.of());
                                    var m =
                                            backend.train(
                                                    DjlBackendTest.request(
                                                            TestEstimators.esmmLike(),
                                                            Optional.of(ck),
                                                            holdAtFirstStep))) {
                                assertThat(m.towers()).isNotEmpty();
                            }
                        });
        assertThat(started.await(2, TimeUnit.MINUTES)).isTrue();
        try (var backend = DjlBackendTest.backend(Map.of())) {
            assertThatThrownBy(
                            () ->
                                    backend.train(
                                            DjlBackendTest.request(
                                                    TestEstimators.esmmLike(),
                                                    Optional.of(ck),
                                                    TrainingListener.NONE)))
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("checkpoint folder")
                    .hasMessageContaining("being written by another run")
                    .hasMessageNotContaining("\n");
        } finally {
            release.countDown();
        }
        first.get(5, TimeUnit.MINUTES);
        assertThat(Files.exists(ck.resolve(".checkpoint.lock"))).isFalse();
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Work<T> work) {
        try {
            return work.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
