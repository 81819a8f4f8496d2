package org.causalcvr.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.Evaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel Multi-DR on two workers of {@code local[2]}: the merged model is as good as one
 * trained in one process, a worker that dies mid-round changes nothing, and the model folder
 * follows the output rule.
 */
class DataParallelTrainingTest {
    private static final int TRAIN_ROWS = 8000;
    private static final int TEST_ROWS = 4000;
    private static final Map<String, String> BACKEND =
            Map.of("preset", "small", "epochs", "2", "threads", "1", "batch-size", "256");
    private static SparkSession spark;
    @TempDir static Path dir;
    private static Path train;
    private static Path test;

    @BeforeAll
    static void start() {
        // local[2, 4]: two task slots, and a failed task may be retried (local[2] fails the job)
        spark =
                SparkSession.builder()
                        .appName("DataParallelTrainingTest")
                        .master("local[2,4]")
                        .config("spark.ui.enabled", "false")
                        .config("spark.sql.adaptive.enabled", "false")
                        .config("spark.driver.host", "127.0.0.1")
                        .getOrCreate();
        train = dir.resolve("train.arrow");
        test = dir.resolve("test.arrow");
        try (Allocators memory = Allocators.create()) {
            var world = SyntheticWorld.build(Presets.get("small").withSeed(5));
            world.write(train, 0, TRAIN_ROWS, memory, done -> {});
            world.write(test, TRAIN_ROWS, TEST_ROWS, memory, done -> {});
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Path twoWorkerModel;

    /** The model of {@link #twoWorkers()}, trained once for the tests that compare with it. */
    private static synchronized Path twoWorkerModel() {
        if (twoWorkerModel == null) {
            Path saved = dir.resolve("two-workers");
            var result = trainOnSpark(twoWorkers(), saved);
            // 2 epochs of 4000 rows per worker at 256 rows a batch: 16 batches an epoch, 4 rounds
            assertThat(result.rounds()).hasSize(4);
            assertThat(result.rows()).isEqualTo(TRAIN_ROWS);
            // two workers form one group: the driver receives one merged update per round, the
            // one it broadcasts with the next round; the workers sent theirs as they trained them
            var rounds = result.rounds();
            for (int r = 0; r < rounds.size(); r++) {
                var round = rounds.get(r);
                assertThat(round.rowsTrained()).isPositive();
                assertThat(round.bytesUp()).isGreaterThan(round.bytesPartial());
                if (r + 1 < rounds.size()) {
                    assertThat(rounds.get(r + 1).bytesDown()).isEqualTo(round.bytesPartial());
                }
            }
            System.out.printf(
                    "two workers (K=8): %d rounds, %.0f bytes up and %.0f down per round%n",
                    result.rounds().size(),
                    result.rounds().stream().mapToLong(r -> r.bytesUp()).average().orElse(0),
                    result.rounds().stream().mapToLong(r -> r.bytesDown()).average().orElse(0));
            twoWorkerModel = saved;
        }
        return twoWorkerModel;
    }

    private static DataParallelTraining.Settings twoWorkers() {
        return DataParallelTraining.Settings.of("multi-dr", 2, 8).withBackendSettings(BACKEND);
    }

    private static DataParallelTraining.Result trainOnSpark(
            DataParallelTraining.Settings settings, Path model) {
        ExposureLogFrame log = ExposureLogs.read(spark, train.toString());
        return DataParallelTraining.train(log, train.toString(), settings, model, false, r -> {});
    }

    /**
     * Exposure-space CVR AUC (labels of unclicked rows drawn from the true CVR) on the test set.
     */
    private static double exposureAuc(TrainedModel model) {
        try (Allocators memory = Allocators.create()) {
            ExposureSource source = ArrowExposureSource.open(test, memory);
            return Evaluator.evaluate(model, source, EvaluationOptions.defaults())
                    .space(EvaluationSpace.CVR_EXPOSURE)
                    .orElseThrow()
                    .auc();
        }
    }

    private static double exposureAuc(Path saved) {
        try (Backend backend = CvrRuntime.load().backend("djl").create(Map.of());
                TrainedModel model = backend.load(saved)) {
            return exposureAuc(model);
        }
    }

    private static float[] testPredictions(Path saved) {
        List<Float> out = new ArrayList<>();
        try (Allocators memory = Allocators.create();
                Backend backend = CvrRuntime.load().backend("djl").create(Map.of());
                TrainedModel model = backend.load(saved)) {
            ExposureSource source = ArrowExposureSource.open(test, memory);
            try (BatchCursor c = source.open()) {
                while (c.next()) {
                    var p = model.predict(c.batch());
                    for (int i = 0; i < p.size(); i++) {
                        out.add(p.cvr()[i]);
                        out.add(p.ctr()[i]);
                    }
                }
            }
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    @Test
    void twoWorkersMatchOneProcessOnExposureSpaceCvrAuc() {
        double single;
        try (Allocators memory = Allocators.create();
                Backend backend = CvrRuntime.load().backend("djl").create(BACKEND);
                TrainedModel model =
                        backend.train(
                                TrainingRequest.of(
                                        CvrRuntime.load().estimator("multi-dr").create(Map.of()),
                                        ArrowExposureSource.open(train, memory)))) {
            single = exposureAuc(model);
        }
        double parallel = exposureAuc(twoWorkerModel());
        System.out.printf(
                "exposure-space CVR AUC: one process %.4f, two workers (K=8) %.4f%n",
                single, parallel);
        // both learned something, and the merged model is as good as the single one
        assertThat(single).isGreaterThan(0.55);
        assertThat(parallel).isGreaterThan(0.55);
        assertThat(Math.abs(parallel - single)).isLessThan(0.03);
    }

    @Test
    void aWorkerDyingMidRoundIsRetriedAndChangesNothing() throws Exception {
        Path clean = twoWorkerModel();
        Path retried = dir.resolve("retried");
        Path checkpoints = dir.resolve("checkpoints");
        var r =
                trainOnSpark(
                        twoWorkers().withInjectedFailure(1, 1).withCheckpoints(checkpoints),
                        retried);
        assertThat(r.rounds()).hasSize(4);
        // The retried round started again from the merged state, and every merge sums in an
        // order fixed by W: the model is the clean run's, to the byte.
        float[] a = testPredictions(retried);
        float[] b = testPredictions(clean);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        System.out.printf(
                "retried vs clean: exposure-space CVR AUC %.4f vs %.4f, largest |p| difference"
                        + " %.3g%n",
                exposureAuc(retried), exposureAuc(clean), worst);
        assertThat(a).containsExactly(b);
        assertThat(Files.readAllBytes(retried.resolve("params.bin")))
                .isEqualTo(Files.readAllBytes(clean.resolve("params.bin")));
        // the checkpoint is whole: it holds the final state, and no staging folder is left
        try (var files = Files.list(checkpoints)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactly("checkpoint");
        }
    }

    @Test
    void anExistingModelFolderIsRefusedUnlessOverwriting() throws Exception {
        Path saved = dir.resolve("existing");
        Files.createDirectories(saved);
        Files.writeString(saved.resolve("note.txt"), "not a model");
        ExposureLogFrame log = ExposureLogs.read(spark, train.toString());
        assertThatThrownBy(
                        () ->
                                DataParallelTraining.train(
                                        log, train.toString(), twoWorkers(), saved, false, r -> {}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("exists; pass --overwrite");
        assertThat(Files.readString(saved.resolve("note.txt"))).isEqualTo("not a model");
    }
}
