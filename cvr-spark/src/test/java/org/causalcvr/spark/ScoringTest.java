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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model trained and saved on one machine scores a DataFrame in Spark as it predicts itself. */
class ScoringTest {
    private static SparkSession spark;
    @TempDir Path dir;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("ScoringTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void sparkScoresEqualTheModelsOwnPredictions() {
        Path data = dir.resolve("world.arrow");
        Path saved = dir.resolve("model");
        int rows = 2000;
        float[] ctr = new float[rows];
        float[] cvr = new float[rows];
        float[] ctcvr = new float[rows];
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
            }
        }
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
}
