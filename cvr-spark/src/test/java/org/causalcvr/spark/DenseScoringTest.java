package org.causalcvr.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.MultiValuedArrays;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log with dense features (as the processed Ali-CCP CSV has) travels through Spark with them: the
 * DataFrame carries them as float columns, Parquet shards written from it keep them, and a model
 * whose towers read them scores the DataFrame as it predicts itself.
 */
class DenseScoringTest {
    private static final int ROWS = 1500;
    private static final FeatureSchema SCHEMA =
            new FeatureSchema(
                    List.of(
                            new FeatureField("user", FieldRole.USER, 20, false),
                            new FeatureField("item", FieldRole.ITEM, 30, false)),
                    false,
                    false,
                    List.of(
                            new DenseField("price", FieldRole.ITEM),
                            new DenseField("visits", FieldRole.USER)));

    private static SparkSession spark;
    @TempDir static Path dir;
    private static Path data;
    private static Path saved;
    private static float[] cvr;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("DenseScoringTest");
        data = dir.resolve("dense.arrow");
        saved = dir.resolve("model");
        var rng = new SplittableRandom(9);
        int[] clicks = new int[ROWS];
        int[] convs = new int[ROWS];
        int[][] ids = {new int[ROWS], new int[ROWS]};
        float[][] dense = {new float[ROWS], new float[ROWS]};
        for (int r = 0; r < ROWS; r++) {
            ids[0][r] = rng.nextInt(20);
            ids[1][r] = rng.nextInt(30);
            dense[0][r] = (float) (10 * Math.exp(2 * rng.nextDouble() - 1));
            dense[1][r] = rng.nextInt(100);
            clicks[r] = rng.nextDouble() < 0.4 ? 1 : 0;
            double q = 1 / (1 + Math.exp(-(Math.log1p(dense[0][r]) - Math.log(11)) * 3));
            convs[r] = clicks[r] == 1 && rng.nextDouble() < q ? 1 : 0;
        }
        var batch =
                new ArrayExposureBatch(
                        SCHEMA,
                        clicks,
                        convs,
                        ids,
                        new MultiValuedArrays[2],
                        null,
                        null,
                        null,
                        dense);
        CvrRuntime runtime = CvrRuntime.load();
        try (Allocators memory = Allocators.create()) {
            try (ExposureWriter w =
                    ExposureWriter.create(data, ExposureLogSchema.of(SCHEMA), memory)) {
                w.write(batch);
                w.commit();
            }
            ArrowExposureSource source = ArrowExposureSource.open(data, memory);
            try (Backend backend =
                            runtime.backend("djl")
                                    .create(Map.of("preset", "small", "threads", "1"));
                    TrainedModel model =
                            backend.train(
                                    TrainingRequest.of(
                                            runtime.estimator("multi-dr").create(Map.of()),
                                            source))) {
                model.save(saved);
                cvr = model.predict(batch).cvr();
            }
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static void assertScoredAsThemodelPredicts(ExposureLogFrame log) {
        var ordered =
                log.rows()
                        .withColumn("test_row", monotonically_increasing_id())
                        .repartitionByRange(3, col("test_row"))
                        .sortWithinPartitions("test_row");
        var scored =
                ModelScoring.score(
                        new ExposureLogFrame(ordered, log.schema()), saved.toString(), "djl");
        List<Row> out = scored.collectAsList();
        assertThat(out).hasSize(ROWS);
        int p = scored.schema().fieldIndex(ModelScoring.PCVR);
        int price = scored.schema().fieldIndex("price");
        for (int i = 0; i < ROWS; i++) {
            assertThat(out.get(i).getFloat(p)).isCloseTo(cvr[i], within(1e-6f));
        }
        // The dense values travel as they are.
        assertThat(out.get(0).getFloat(price)).isGreaterThan(0f);
        // The predictions vary with the dense features, so the comparison above could fail.
        assertThat(
                        java.util.stream.IntStream.range(0, ROWS)
                                .mapToObj(i -> cvr[i])
                                .distinct()
                                .count())
                .isGreaterThan(100);
    }

    @Test
    void anArrowLogWithDenseFeaturesIsScoredAsTheModelPredicts() {
        ExposureLogFrame log = ExposureLogs.read(spark, data.toString());
        assertThat(log.schema().features().dense()).isEqualTo(SCHEMA.dense());
        assertScoredAsThemodelPredicts(log);
    }

    @Test
    void parquetShardsKeepTheDenseFeatures() {
        ExposureLogFrame log = ExposureLogs.read(spark, data.toString());
        Path shards = dir.resolve("shards");
        ShardWriter.write(log, shards.toString(), ShardFormat.PARQUET, false);
        ExposureLogFrame back = ExposureLogs.read(spark, shards.toString());
        assertThat(back.schema().features().dense()).isEqualTo(SCHEMA.dense());
        assertScoredAsThemodelPredicts(back);
        // Arrow shards, written row by row through a batch builder, keep them too.
        Path arrow = dir.resolve("arrow-shards");
        ShardWriter.write(log, arrow.toString(), ShardFormat.ARROW, false);
        ExposureLogFrame arrowBack = ExposureLogs.read(spark, arrow.toString());
        assertThat(arrowBack.schema().features().dense()).isEqualTo(SCHEMA.dense());
        assertThat(
                        arrowBack.rows().select("price").collectAsList().stream()
                                .mapToDouble(r -> r.getFloat(0))
                                .sum())
                .isCloseTo(
                        log.rows().select("price").collectAsList().stream()
                                .mapToDouble(r -> r.getFloat(0))
                                .sum(),
                        within(1e-3));
    }
}
