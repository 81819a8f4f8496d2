package org.causalcvr.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.metrics.Binning;
import org.causalcvr.metrics.CalibrationBin;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.Evaluator;
import org.causalcvr.metrics.MetricValue;
import org.causalcvr.metrics.SpaceReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's evaluation equals cvr-metrics' single-machine Evaluator to 1e-9 in every space, with the
 * rows shuffled over 16 partitions of under 200 rows each, and scores rounded to two decimals so
 * that most scores tie.
 */
class DistributedEvaluationTest {
    private static final int ROWS = 3000;
    private static final int PARTITIONS = 16;
    private static SparkSession spark;
    private static Dataset<Row> scored;
    private static final EvaluationOptions EQUAL_MASS =
            EvaluationOptions.defaults().withK(3).withCalibration(10, Binning.EQUAL_MASS);
    private static final EvaluationOptions EQUAL_WIDTH =
            EvaluationOptions.defaults()
                    .withK(5)
                    .withCalibration(7, Binning.EQUAL_WIDTH)
                    .withLabelSeed(99);
    private static final Evaluator ONE_MASS = new Evaluator(EQUAL_MASS);
    private static final Evaluator ONE_WIDTH = new Evaluator(EQUAL_WIDTH);
    @TempDir static Path dir;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("DistributedEvaluationTest");
        Path data = dir.resolve("world.arrow");
        List<Row> rows = new ArrayList<>();
        Random random = new Random(5);
        try (Allocators memory = Allocators.create()) {
            SyntheticWorld.build(Presets.get("small").withSeed(9)).write(data, ROWS, memory);
            try (BatchCursor c = ArrowExposureSource.open(data, memory).open()) {
                while (c.next()) {
                    ExposureBatch b = c.batch();
                    int n = b.size();
                    float[] ctr = new float[n];
                    float[] cvr = new float[n];
                    for (int i = 0; i < n; i++) {
                        // scores with many ties; pCVR leans on the truth so the AUCs are not ½
                        ctr[i] = Math.round(random.nextFloat() * 100) / 100f;
                        float q = b.trueCvr().get().getFloat(i);
                        cvr[i] =
                                Math.round(Math.min(1f, 0.5f * q + 0.5f * random.nextFloat()) * 50)
                                        / 50f;
                        rows.add(
                                RowFactory.create(
                                        (byte) b.clicks().getInt(i),
                                        (byte) b.conversions().getInt(i),
                                        b.groups().get().getLong(i),
                                        q,
                                        ctr[i],
                                        cvr[i],
                                        (long) rows.size()));
                    }
                    ONE_MASS.add(b, new Predictions(ctr, cvr));
                    ONE_WIDTH.add(b, new Predictions(ctr, cvr));
                }
            }
        }
        StructType schema =
                new StructType()
                        .add("click", "byte")
                        .add("conversion", "byte")
                        .add("group", "long")
                        .add("true_cvr", "float")
                        .add("pctr", "float")
                        .add("pcvr", "float")
                        .add("row", "long");
        scored = spark.createDataFrame(rows, schema).repartition(PARTITIONS).cache();
        assertThat(scored.rdd().getNumPartitions()).isEqualTo(PARTITIONS);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static void assertSame(EvaluationReport one, EvaluationReport spark) {
        assertThat(spark.rows()).isEqualTo(one.rows());
        List<MetricValue> a = one.values();
        List<MetricValue> b = spark.values();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).space() + " " + b.get(i).metric())
                    .isEqualTo(a.get(i).space() + " " + a.get(i).metric());
            if (Double.isNaN(a.get(i).value())) {
                assertThat(b.get(i).value()).as(a.get(i).toString()).isNaN();
            } else {
                assertThat(b.get(i).value())
                        .as(a.get(i).toString())
                        .isCloseTo(a.get(i).value(), within(1e-9));
            }
        }
        for (SpaceReport s : one.spaces()) {
            List<CalibrationBin> x = s.calibration().orElseThrow().bins();
            List<CalibrationBin> y =
                    spark.space(s.space()).orElseThrow().calibration().orElseThrow().bins();
            assertThat(y).hasSameSizeAs(x);
            for (int i = 0; i < x.size(); i++) {
                assertThat(y.get(i).rows()).isEqualTo(x.get(i).rows());
                assertThat(y.get(i).lower()).isEqualTo(x.get(i).lower());
                assertThat(y.get(i).upper()).isEqualTo(x.get(i).upper());
                if (x.get(i).rows() > 0) {
                    assertThat(y.get(i).meanPredicted())
                            .isCloseTo(x.get(i).meanPredicted(), within(1e-9));
                    assertThat(y.get(i).observedRate())
                            .isCloseTo(x.get(i).observedRate(), within(1e-9));
                }
            }
        }
    }

    @Test
    void everySpaceEqualsTheSingleMachineEvaluatorWithEqualMassBins() {
        EvaluationReport one = ONE_MASS.finish();
        EvaluationReport distributed =
                DistributedEvaluation.evaluate(scored, EQUAL_MASS, PARTITIONS);
        assertThat(one.spaces()).hasSize(7);
        assertThat(
                        one.space(org.causalcvr.metrics.EvaluationSpace.CVR_EXPOSURE)
                                .orElseThrow()
                                .groups())
                .isPresent();
        System.out.print(distributed.toTable());
        assertSame(one, distributed);
    }

    @Test
    void equalWidthBinsAndAnotherLabelSeedAgreeToo() {
        assertSame(
                ONE_WIDTH.finish(),
                DistributedEvaluation.evaluate(scored, EQUAL_WIDTH, PARTITIONS));
    }
}
