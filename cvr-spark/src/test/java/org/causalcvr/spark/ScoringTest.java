package org.causalcvr.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
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

/** A model trained and saved on one machine scores a DataFrame in Spark as it predicts itself. */
class ScoringTest {
    private static final int ROWS = 2000;
    private static SparkSession spark;
    @TempDir static Path dir;
    private static Path data;
    private static Path saved;
    private static float[] ctr = new float[ROWS];
    private static float[] cvr = new float[ROWS];
    private static float[] ctcvr = new float[ROWS];
    private static EvaluationReport singleMachine;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("ScoringTest");
        trainAndPredictOnOneMachine();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Trains a tiny model, saves it, and records its own predictions and evaluation. */
    private static void trainAndPredictOnOneMachine() {
        data = dir.resolve("world.arrow");
        saved = dir.resolve("model");
        int rows = ROWS;
        CvrRuntime runtime = CvrRuntime.load();
        try (Allocators memory = Allocators.create()) {
            SyntheticWorld.build(Presets.get("small").withSeed(3)).write(data, rows, memory);
            ArrowExposureSource source = ArrowExposureSource.open(data, memory);
            try (Backend backend =
                            runtime.backend("djl")
                                    .create(
                                            Map.of(
                                                    "preset", "small",
                                                    "epochs", "2",
                                                    "threads", "1"));
                    TrainedModel model =
                            backend.train(
                                    TrainingRequest.of(
                                            runtime.estimator("multi-dr").create(Map.of()),
                                            source))) {
                model.save(saved);
                int at = 0;
                try (BatchCursor c = source.open()) {
                    while (c.next()) {
                        Predictions p = model.predict(c.batch());
                        float[] joint = p.ctcvr();
                        System.arraycopy(p.ctr(), 0, ctr, at, p.size());
                        System.arraycopy(p.cvr(), 0, cvr, at, p.size());
                        System.arraycopy(joint, 0, ctcvr, at, p.size());
                        at += p.size();
                    }
                }
                assertThat(at).isEqualTo(rows);
                singleMachine = Evaluator.evaluate(model, source, EvaluationOptions.defaults());
            }
        }
    }

    @Test
    void sparkScoresEqualTheModelsOwnPredictions() {
        int rows = ROWS;
        ExposureLogFrame log = ExposureLogs.read(spark, data.toString());
        // Four ordered partitions of the same rows.
        var spread =
                log.rows()
                        .withColumn("test_row", monotonically_increasing_id())
                        .repartitionByRange(4, col("test_row"))
                        .sortWithinPartitions("test_row");
        var scored =
                ModelScoring.score(
                        new ExposureLogFrame(spread, log.schema()), saved.toString(), "djl");
        assertThat(scored.rdd().getNumPartitions()).isEqualTo(4);
        List<Row> out = scored.collectAsList();
        assertThat(out).hasSize(rows);
        int p = scored.schema().fieldIndex(ModelScoring.PCTR);
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            Row r = out.get(i);
            assertThat(r.getLong(scored.schema().fieldIndex("test_row"))).isEqualTo(i);
            assertThat(r.getFloat(p)).isCloseTo(ctr[i], within(1e-6f));
            assertThat(r.getFloat(p + 1)).isCloseTo(cvr[i], within(1e-6f));
            assertThat(r.getFloat(p + 2)).isCloseTo(ctcvr[i], within(1e-6f));
            worst = Math.max(worst, Math.abs(r.getFloat(p + 1) - cvr[i]));
        }
        System.out.printf(
                "Spark vs model.predict, %d rows: largest |pCVR difference| %.3g%n", rows, worst);
        // the predictions differ between rows, so the comparison above could fail
        long distinct =
                java.util.stream.IntStream.range(0, rows)
                        .mapToObj(i -> ctr[i] + "/" + cvr[i])
                        .distinct()
                        .count();
        System.out.printf("distinct (pCTR, pCVR) pairs: %d of %d rows%n", distinct, rows);
        assertThat(distinct).isGreaterThan(5);
    }

    @Test
    void theSubmitCommandsPredictAndEvaluateParquetShardsAsOneMachineDoes() throws Exception {
        // the world as Parquet shards, 4 of them, in row order
        ExposureLogFrame log = ExposureLogs.read(spark, data.toString());
        var spread =
                log.rows()
                        .withColumn("test_row", monotonically_increasing_id())
                        .repartitionByRange(4, col("test_row"))
                        .sortWithinPartitions("test_row")
                        .drop("test_row");
        Path shards = dir.resolve("world-shards");
        ShardWriter.write(
                new ExposureLogFrame(spread, log.schema()),
                shards.toString(),
                ShardFormat.PARQUET,
                false);

        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        int code =
                CvrSparkMain.run(
                        spark,
                        new String[] {
                            "evaluate",
                            "--model",
                            saved.toString(),
                            "--data",
                            shards.toString(),
                            "--partitions",
                            "8",
                            "--json"
                        },
                        new java.io.PrintWriter(out),
                        new java.io.PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        var json = com.google.gson.JsonParser.parseString(out.toString()).getAsJsonObject();
        assertThat(json.get("rows").getAsLong()).isEqualTo(ROWS);
        var metrics = json.getAsJsonArray("metrics");
        List<MetricValue> expected = singleMachine.values();
        assertThat(metrics.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            var m = metrics.get(i).getAsJsonObject();
            MetricValue e = expected.get(i);
            assertThat(m.get("space").getAsString() + " " + m.get("metric").getAsString())
                    .isEqualTo(e.space() + " " + e.metric());
            if (Double.isNaN(e.value())) {
                assertThat(m.get("value").isJsonNull()).isTrue();
            } else {
                // scores from Spark's batches may differ from one machine's in the last float bit
                assertThat(m.get("value").getAsDouble())
                        .as(e.toString())
                        .isCloseTo(e.value(), within(1e-6));
            }
        }

        Path predictions = dir.resolve("predictions");
        String[] predict = {
            "predict",
            "--model",
            saved.toString(),
            "--data",
            shards.toString(),
            "--out",
            predictions.toString()
        };
        assertThat(
                        CvrSparkMain.run(
                                spark,
                                predict,
                                new java.io.PrintWriter(out),
                                new java.io.PrintWriter(err)))
                .isZero();
        var written = spark.read().parquet(predictions.toString()).orderBy("row").collectAsList();
        assertThat(written).hasSize(ROWS);
        assertThat(written.get(7).getFloat(written.get(7).fieldIndex(ModelScoring.PCVR)))
                .isCloseTo(cvr[7], within(1e-6f));
        // a second run is refused in one line and leaves the first output alone
        var err2 = new java.io.StringWriter();
        assertThat(
                        CvrSparkMain.run(
                                spark,
                                predict,
                                new java.io.PrintWriter(out),
                                new java.io.PrintWriter(err2)))
                .isEqualTo(1);
        assertThat(err2.toString().strip())
                .isEqualTo(
                        "cvr-spark: " + predictions + ": exists; pass --overwrite to replace it");
        assertThat(spark.read().parquet(predictions.toString()).count()).isEqualTo(ROWS);
        String[] again = java.util.Arrays.copyOf(predict, predict.length + 1);
        again[predict.length] = "--overwrite";
        assertThat(
                        CvrSparkMain.run(
                                spark,
                                again,
                                new java.io.PrintWriter(out),
                                new java.io.PrintWriter(err)))
                .isZero();
    }
}
