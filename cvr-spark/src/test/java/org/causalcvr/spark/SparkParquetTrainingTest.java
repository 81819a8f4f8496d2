package org.causalcvr.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ExposureSources;
import org.causalcvr.data.arrow.ReadOptions;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.Evaluator;
import org.causalcvr.metrics.MetricValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log that Spark writes as Parquet shards trains on one machine through the path {@code cvr
 * train} takes (ExposureSources.open with strict read options, then the backend found by name), and
 * the model it gives is the model the single-machine Arrow file of the same rows gives.
 */
class SparkParquetTrainingTest {
    private static final int TRAIN_ROWS = 4000;
    private static final int TEST_ROWS = 2000;
    private static final Map<String, String> BACKEND =
            Map.of(
                    "preset",
                    "small",
                    "epochs",
                    "2",
                    "threads",
                    "1",
                    "seed",
                    "7",
                    "progress-every",
                    "1");
    private static SparkSession spark;
    @TempDir static Path dir;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("SparkParquetTrainingTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aParquetFolderWrittenBySparkTrainsOnOneMachineAsItsArrowTwinDoes() throws Exception {
        Path arrow = dir.resolve("train.arrow");
        Path test = dir.resolve("test.arrow");
        Path shards = dir.resolve("train-parquet");
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small").withSeed(11));
        try (Allocators memory = Allocators.create()) {
            world.write(arrow, 0, TRAIN_ROWS, memory, done -> {});
            world.write(test, 1_000_000, TEST_ROWS, memory, done -> {});
        }
        // Spark writes the rows as three ordered Parquet shards.
        ExposureLogFrame log = ExposureLogs.read(spark, arrow.toString());
        var spread =
                log.rows()
                        .withColumn("test_row", monotonically_increasing_id())
                        .repartitionByRange(3, col("test_row"))
                        .sortWithinPartitions("test_row")
                        .drop("test_row");
        ShardWriter.write(
                new ExposureLogFrame(spread, log.schema()),
                shards.toString(),
                ShardFormat.PARQUET,
                false);
        try (Stream<Path> files = Files.list(shards)) {
            assertThat(files.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(3);
        }

        CvrRuntime runtime = CvrRuntime.load();
        try (Allocators memory = Allocators.create()) {
            ExposureSource parquet = open(shards, memory);
            ExposureSource fromArrow = open(arrow, memory);
            assertThat(parquet.schema()).isEqualTo(fromArrow.schema());
            assertThat(rows(parquet)).hasSize(TRAIN_ROWS).isEqualTo(rows(fromArrow));

            List<Double> losses = new ArrayList<>();
            ExposureSource testSource = open(test, memory);
            try (Backend backend = runtime.backend("djl").create(BACKEND);
                    TrainedModel fromParquet = train(runtime, backend, parquet, losses);
                    TrainedModel fromArrowFile =
                            train(runtime, backend, fromArrow, new ArrayList<>())) {
                assertThat(losses).isNotEmpty().allMatch(Double::isFinite);

                EvaluationReport report =
                        Evaluator.evaluate(fromParquet, testSource, EvaluationOptions.defaults());
                System.out.println("Trained on Spark's Parquet shards, on held-out rows:");
                System.out.println(report.toTable());
                assertThat(metric(report, "ctr", "auc")).isGreaterThan(0.55);
                assertThat(metric(report, "cvr-exposure-true", "auc")).isGreaterThan(0.55);

                // Same rows, same seed: the same model as from the single-machine file.
                try (BatchCursor c = testSource.open()) {
                    while (c.next()) {
                        ExposureBatch b = c.batch();
                        float[] a = fromParquet.predict(b).cvr();
                        float[] e = fromArrowFile.predict(b).cvr();
                        for (int i = 0; i < b.size(); i++) {
                            assertThat(a[i]).isCloseTo(e[i], within(1e-6f));
                        }
                    }
                }
            }
        }
    }

    /** As {@code cvr train} opens its {@code --train} argument. */
    private static ExposureSource open(Path path, Allocators memory) {
        return ExposureSources.open(path, memory.root(), ReadOptions.strict());
    }

    private static TrainedModel train(
            CvrRuntime runtime, Backend backend, ExposureSource data, List<Double> losses) {
        TrainingListener recorder =
                new TrainingListener() {
                    @Override
                    public void onProgress(TrainingProgress progress) {
                        losses.addAll(progress.losses().values());
                    }
                };
        TrainingRequest request =
                TrainingRequest.of(runtime.estimator("multi-dr").create(Map.of()), data);
        return backend.train(
                new TrainingRequest(
                        request.estimator(),
                        data,
                        request.validation(),
                        request.validationScore(),
                        request.checkpointDirectory(),
                        recorder));
    }

    private static List<String> rows(ExposureSource source) {
        List<String> out = new ArrayList<>();
        try (BatchCursor c = source.open()) {
            while (c.next()) {
                for (int i = 0; i < c.batch().size(); i++) {
                    out.add(TestSpark.row(c.batch(), i));
                }
            }
        }
        return out;
    }

    private static double metric(EvaluationReport report, String space, String name) {
        return report.values().stream()
                .filter(v -> v.space().equals(space) && v.metric().equals(name))
                .mapToDouble(MetricValue::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + space + " " + name + " in report"));
    }
}
