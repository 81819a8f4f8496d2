package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.io.PredictionFiles;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.backend.djl.checkpoint.ModelFiles;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class DjlBackendTest {
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

    public static DjlBackend backend(Map<String, String> extra) {
        var settings = new HashMap<>(SMALL);
        settings.putAll(extra);
        return new DjlBackendFactory().create(DjlOptions.SCHEMA.resolve(settings));
    }

    public static TrainingRequest request(
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
                s += progress.get(i).losses().get("total");
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
        // The imputation tower's L2 penalty is the estimator's imputation-l2, not a backend key.
        assertThatThrownBy(() -> DjlOptions.from(Map.of("l2-imputation", "0.1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("l2-imputation");
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

    private static Predictions trainAndPredict(Map<String, String> extra, Estimator estimator) {
        return trained(extra, estimator, model -> model.predict(holdout.data()));
    }

    /** What {@code read} takes from a model trained with {@code extra} (closed afterwards). */
    private static <R> R trained(
            Map<String, String> extra, Estimator estimator, Function<TrainedModel, R> read) {
        try (var backend = backend(extra);
                var model =
                        backend.train(
                                request(estimator, Optional.empty(), TrainingListener.NONE))) {
            return read.apply(model);
        }
    }

    @Test
    void theSameSeedGivesTheSameModelAndAnotherSeedAnother() {
        Predictions a = trainAndPredict(Map.of("seed", "7"), TestEstimators.esmmLike());
        Predictions b = trainAndPredict(Map.of("seed", "7"), TestEstimators.esmmLike());
        Predictions c = trainAndPredict(Map.of("seed", "8"), TestEstimators.esmmLike());
        assertThat(b.cvr()).containsExactly(a.cvr());
        assertThat(b.ctr()).containsExactly(a.ctr());
        assertThat(c.cvr()).isNotEqualTo(a.cvr());
    }

    /**
     * A bound above every step's gradient norm changes no bit; a binding one changes the model
     * (with Adam the change comes from the steps whose norm differs from the others', which one
     * factor for every step would divide out), and the provenance records the key only when set.
     */
    @Test
    void aGradientClipNormChangesTheModelOnlyWhereItBinds() {
        Predictions none = trainAndPredict(Map.of("seed", "7"), TestEstimators.esmmLike());
        Predictions loose =
                trainAndPredict(
                        Map.of("seed", "7", "gradient-clip-norm", "1e30"),
                        TestEstimators.esmmLike());
        Predictions tight =
                trainAndPredict(
                        Map.of("seed", "7", "gradient-clip-norm", "0.05"),
                        TestEstimators.esmmLike());
        assertThat(loose.cvr()).containsExactly(none.cvr());
        assertThat(loose.ctr()).containsExactly(none.ctr());
        assertThat(tight.cvr()).isNotEqualTo(none.cvr());
        assertThat(clipStatistics("1e30")).containsEntry("clippedStepShare", 0.0);
        Map<String, Double> tightStats = clipStatistics("0.05");
        assertThat(tightStats.get("clippedStepShare")).isGreaterThan(0.0);
        assertThat(tightStats.get("largestGradientNorm")).isGreaterThan(0.05);
        assertThat(clipStatistics("0"))
                .doesNotContainKeys("clippedStepShare", "largestGradientNorm");
        assertThat(DjlOptions.from(Map.of()).effective()).doesNotContainKey("gradient-clip-norm");
        assertThat(DjlOptions.from(Map.of("gradient-clip-norm", "2")).effective())
                .containsEntry("gradient-clip-norm", "2.0");
    }

    private static Map<String, Double> clipStatistics(String bound) {
        return trained(
                Map.of("seed", "7", "gradient-clip-norm", bound),
                TestEstimators.esmmLike(),
                TrainedModel::trainingStatistics);
    }

    @Test
    void saveAndLoadGiveIdenticalPredictionsAndProvenance(@TempDir Path dir) {
        Path saved = dir.resolve("model");
        try (var backend = backend(Map.of("epochs", "2"));
                var model =
                        backend.train(
                                request(
                                        TestEstimators.esmmLike(),
                                        Optional.empty(),
                                        TrainingListener.NONE))) {
            Predictions before = model.predict(holdout.data());
            model.save(saved);
            model.save(saved); // replacing an existing model is atomic too
            try (var loaded = backend.load(saved)) {
                Predictions after = loaded.predict(holdout.data());
                assertThat(after.ctr()).containsExactly(before.ctr());
                assertThat(after.cvr()).containsExactly(before.cvr());
                assertThat(loaded.provenance()).isEqualTo(model.provenance());
            }
            try (var other = backend(Map.of())) {
                assertThatThrownBy(() -> other.load(saved, "multi-dr", world.schema()))
                        .isInstanceOf(CvrException.class)
                        .hasMessageContaining("esmm-like")
                        .hasMessageContaining("multi-dr");
                var otherSchema = SyntheticWorld.schema(new int[] {3, 4}, false, false);
                assertThatThrownBy(() -> other.load(saved, "esmm-like", otherSchema))
                        .isInstanceOf(CvrException.class)
                        .hasMessageContaining("schema");
            }
        }
        assertThat(Files.exists(dir.resolve("model.old"))).isFalse();
    }

    @Test
    void scoringWritesEveryRowAtomically(@TempDir Path dir) {
        try (var backend = backend(Map.of());
                var model =
                        backend.train(
                                request(
                                        TestEstimators.esmmLike(),
                                        Optional.empty(),
                                        TrainingListener.NONE))) {
            Predictions direct = model.predict(holdout.data());
            Path bin = dir.resolve("scores.bin");
            assertThat(model.score(holdout, bin)).isEqualTo(500);
            float[][] read = PredictionFiles.readBinary(bin);
            assertThat(read[0]).containsExactly(direct.ctr());
            assertThat(read[1]).containsExactly(direct.cvr());
            assertThat(read[2]).containsExactly(direct.ctcvr());
            Path csv = dir.resolve("scores.csv");
            assertThat(model.score(holdout, csv)).isEqualTo(500);
            List<String> lines = readLines(csv);
            assertThat(lines).hasSize(501);
            assertThat(lines.get(0)).isEqualTo("row,ctr,cvr,ctcvr");
            assertThat(lines.get(1)).startsWith("0," + direct.ctr()[0] + "," + direct.cvr()[0]);
        }
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("scores.bin", "scores.csv");
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Stops training by throwing from the listener once {@code step} is reached (a "kill"). */
    public static final class KillAt implements TrainingListener {
        private final long step;

        public KillAt(long step) {
            this.step = step;
        }

        @Override
        public void onProgress(TrainingProgress p) {
            if (p.step() == step) {
                throw new IllegalStateException("killed at step " + step);
            }
        }
    }

    @Test
    void aResumedRunEndsWhereAnUninterruptedRunEnds(@TempDir Path dir) {
        var settings = Map.of("epochs", "2", "checkpoint-every", "5");
        Predictions uninterrupted;
        try (var backend = backend(settings);
                var model =
                        backend.train(
                                request(
                                        TestEstimators.esmmLike(),
                                        Optional.of(dir.resolve("a")),
                                        TrainingListener.NONE))) {
            uninterrupted = model.predict(holdout.data());
            assertThat(model.trainingStats().steps()).isEqualTo(24);
        }
        Path ckpt = dir.resolve("b");
        try (var backend = backend(settings)) {
            // Killed at step 17: the checkpoint of step 15 (mid second epoch) survives.
            assertThatThrownBy(
                            () ->
                                    backend.train(
                                            request(
                                                    TestEstimators.esmmLike(),
                                                    Optional.of(ckpt),
                                                    new KillAt(17))))
                    .hasMessageContaining("killed at step 17");
        }
        assertThat(Files.isDirectory(ckpt.resolve("checkpoint"))).isTrue();
        // A write killed half-way leaves a temporary directory; the next run removes it.
        Path stale = ckpt.resolve(".checkpoint.tmp-killed");
        writeFile(stale.resolve("params.bin"));
        try (var backend = backend(settings);
                var resumed =
                        backend.train(
                                request(
                                        TestEstimators.esmmLike(),
                                        Optional.of(ckpt),
                                        TrainingListener.NONE))) {
            assertThat(resumed.trainingStats().steps()).isEqualTo(24 - 15);
            Predictions p = resumed.predict(holdout.data());
            assertThat(p.cvr()).containsExactly(uninterrupted.cvr());
            assertThat(p.ctr()).containsExactly(uninterrupted.ctr());
        }
        assertThat(Files.exists(stale)).isFalse();
    }

    private static void writeFile(Path p) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1, 2, 3});
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCheckpointOfAnotherEstimatorIsRefused(@TempDir Path dir) {
        try (var backend = backend(Map.of("checkpoint-every", "4"))) {
            backend.train(
                            request(
                                    TestEstimators.esmmLike(),
                                    Optional.of(dir),
                                    TrainingListener.NONE))
                    .close();
            assertThatThrownBy(
                            () ->
                                    backend.train(
                                            request(
                                                    TestEstimators.drLike(OptionalDouble.empty()),
                                                    Optional.of(dir),
                                                    TrainingListener.NONE)))
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("estimator 'esmm-like', now 'dr-like'");
        }
    }

    @Test
    void aNanLossStopsTrainingNamingEstimatorStepAndTermAndKeepsTheLastCheckpoint(
            @TempDir Path dir) {
        var estimator =
                TestEstimators.joint(
                        "nan-world",
                        new TestEstimators.NanAt(new TestEstimators.EsmmLike(), 8),
                        List.of(
                                org.causalcvr.api.estimator.TowerSpec.shared(TowerNames.CTR),
                                org.causalcvr.api.estimator.TowerSpec.shared(TowerNames.CVR)),
                        OptionalDouble.empty());
        try (var backend = backend(Map.of("checkpoint-every", "3"))) {
            assertThatThrownBy(
                            () ->
                                    backend.train(
                                            request(
                                                    estimator,
                                                    Optional.of(dir),
                                                    TrainingListener.NONE)))
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("Estimator nan-world")
                    .hasMessageContaining("'ctcvr' is NaN")
                    .hasMessageContaining("step 8")
                    .hasMessageNotContaining("\n");
            var kept = ModelFiles.read(dir.resolve("checkpoint"), backend.manager(), true);
            try (var net = kept.network()) {
                assertThat(kept.cursor().globalStep()).isEqualTo(6);
            }
        }
    }

    @Test
    void idsBeyondTheTableAreHashedOrRefusedAsConfigured() {
        var refuse = Map.of("hash-size", "16", "id-policy", "refuse");
        try (var backend = backend(refuse)) {
            assertThatThrownBy(
                            () ->
                                    backend.train(
                                            request(
                                                    TestEstimators.esmmLike(),
                                                    Optional.empty(),
                                                    TrainingListener.NONE)))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("column 'f0'")
                    .hasMessageContaining("outside the field's embedding table [0, 16)");
        }
        try (var backend = backend(Map.of("hash-size", "16"));
                var model =
                        backend.train(
                                request(
                                        TestEstimators.esmmLike(),
                                        Optional.empty(),
                                        TrainingListener.NONE))) {
            // 4 single fields capped at 16 rows (one has 8) and a 50-id list field capped at 16.
            assertThat(model.touchedRows().get("shared"))
                    .isLessThanOrEqualTo(16 + 16 + 16 + 8 + 16);
            assertThat(model.predict(holdout.data()).size()).isEqualTo(500);
        }
    }

    @Test
    void twoStageTrainingFreezesThePropensityTowerInTheSecondStage() {
        Predictions firstOnly = trainAndPredict(Map.of(), TestEstimators.twoStage(false));
        Predictions both = trainAndPredict(Map.of(), TestEstimators.twoStage(true));
        // The CTR tower (own embeddings) is not touched by the second stage...
        assertThat(both.ctr()).containsExactly(firstOnly.ctr());
        // ...while the CVR tower is.
        assertThat(both.cvr()).isNotEqualTo(firstOnly.cvr());
    }

    @Test
    void multiDrStyleUnderSamplingTrainsOnClicksAndLambdaTimesAsManyUnclickedRows() {
        // Without shuffling, batches are consecutive slices of 256 rows.
        try (var backend = backend(Map.of("epochs", "1", "shuffle-rows", "0"));
                var model =
                        backend.train(
                                request(
                                        TestEstimators.drLike(OptionalDouble.of(1.5)),
                                        Optional.empty(),
                                        TrainingListener.NONE))) {
            var stats = model.trainingStats();
            assertThat(stats.rowsRead()).isEqualTo(3000);
            int[] clicks = world.data().clickLabels();
            long expected = 0;
            for (int from = 0; from < clicks.length; from += 256) {
                int c = 0;
                int to = Math.min(clicks.length, from + 256);
                for (int i = from; i < to; i++) {
                    c += clicks[i];
                }
                expected += c + Math.min(to - from - c, (long) Math.ceil(1.5 * c));
            }
            assertThat(stats.rowsTrained()).isEqualTo(expected).isLessThan(3000);
        }
    }

    @Test
    void oneStepWritesExactlyTheEmbeddingRowsOfItsBatch() {
        var data = world.data().slice(0, 200);
        var source = new InMemoryExposureSource(data, 64, "one batch");
        var layout = new FieldLayout(data.schema(), 0, DjlOptions.IdPolicy.HASH);
        var rows = new java.util.HashSet<Integer>();
        for (int f = 0; f < data.schema().size(); f++) {
            if (data.schema().field(f).multiValued()) {
                for (int id : data.multiValued()[f].idValues()) {
                    rows.add(layout.row(f, id, "t", 0));
                }
            } else {
                for (int id : data.singleValued()[f]) {
                    rows.add(layout.row(f, id, "t", 0));
                }
            }
        }
        try (var backend = backend(Map.of("batch-size", "256"));
                var model =
                        backend.train(
                                new TrainingRequest(
                                        TestEstimators.esmmLike(),
                                        source,
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        TrainingListener.NONE))) {
            assertThat(model.trainingStats().steps()).isEqualTo(1);
            assertThat(model.touchedRows()).containsEntry("shared", (long) rows.size());
            assertThat((long) rows.size()).isLessThan(layout.totalRows());
        }
    }

    @Test
    void validationStopsTrainingAfterPatienceEpochsWithoutImprovement() {
        var epochs = new ArrayList<Double>();
        var atEpochEnd = new ArrayList<float[]>();
        var worseEachEpoch =
                new org.causalcvr.api.backend.ValidationScore() {
                    private int calls;

                    @Override
                    public String name() {
                        return "worse-each-epoch";
                    }

                    @Override
                    public boolean higherIsBetter() {
                        return true;
                    }

                    @Override
                    public double score(
                            org.causalcvr.api.backend.TrainedModel model,
                            org.causalcvr.api.data.ExposureSource data) {
                        Predictions p = model.predict(holdout.data());
                        assertThat(p.size()).isEqualTo(500);
                        atEpochEnd.add(p.cvr().clone());
                        return -(calls++);
                    }
                };
        var listener =
                new TrainingListener() {
                    @Override
                    public void onEpochEnd(String stage, int epoch, double score) {
                        epochs.add(score);
                    }
                };
        try (var backend = backend(Map.of("epochs", "10", "patience", "2"));
                var model =
                        backend.train(
                                new TrainingRequest(
                                        TestEstimators.esmmLike(),
                                        world,
                                        Optional.of(holdout),
                                        Optional.of(worseEachEpoch),
                                        Optional.empty(),
                                        listener))) {
            // Best after epoch 0; epochs 1 and 2 are worse: stop, and restore epoch 0's parameters.
            assertThat(epochs).containsExactly(0.0, -1.0, -2.0);
            assertThat(model.trainingStats().steps()).isEqualTo(3 * 12);
            // The parameters of epoch 0 as this run scored them, not a second run's: a second
            // training in a JVM that other test classes share need not round the same way.
            Predictions restored = model.predict(holdout.data());
            assertThat(restored.cvr()).containsExactly(atEpochEnd.get(0));
            assertThat(restored.cvr()).isNotEqualTo(atEpochEnd.get(2));
        }
    }

    @Test
    void theDeviceIsTheCpuWhenForcedOrWhenNoGpuIsSeen() {
        try (var backend = backend(Map.of("device", "cpu"))) {
            assertThat(backend.device()).isEqualTo("cpu()");
        }
        try (var backend = backend(Map.of("device", "auto"))) {
            int gpus = ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount();
            assertThat(backend.device()).isEqualTo(gpus > 0 ? "gpu(0)" : "cpu()");
        }
    }
}
