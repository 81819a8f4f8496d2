package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.backend.djl.checkpoint.ModelFiles;
import org.causalcvr.backend.djl.data.DenseStatistics;
import org.causalcvr.backend.djl.model.DenseInput;
import org.causalcvr.backend.djl.model.DenseTransform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The towers read the schema's dense fields, and a saved model applies the same transform. */
class DenseFeaturesTest {
    private static DenseWorld train;
    private static DenseWorld test;

    @TempDir Path dir;

    @BeforeAll
    static void worlds() {
        train = DenseWorld.draw(20_000, 1);
        test = DenseWorld.draw(5_000, 2);
    }

    /** Trains on the train world; the model lives as long as {@code backend}. */
    private static DjlTrainedModel trained(DjlBackend backend) {
        return backend.train(
                TrainingRequest.of(TestEstimators.esmmLike(), train.source("dense-train")));
    }

    private static double exposureAuc(Map<String, String> options) {
        try (var backend = DjlBackendTest.backend(options);
                var model = trained(backend)) {
            return test.exposureAuc(model.predict(test.batch).cvr());
        }
    }

    @Test
    void aConversionRateDrivenByADenseFeatureIsLearnedOnlyWhenTheTowersReadIt() {
        // The best possible exposure-space AUC here (scoring by the true CVR) is about 0.95.
        double bound = test.exposureAuc(test.batch.trueCvrs());
        double with = exposureAuc(Map.of("epochs", "2"));
        double without = exposureAuc(Map.of("epochs", "2", "dense-features", "off"));
        assertThat(bound).isGreaterThan(0.8);
        assertThat(with).isGreaterThan(0.75).isLessThanOrEqualTo(bound + 0.01);
        assertThat(without).isCloseTo(0.5, within(0.04));
        // Raw values standardised without the log still carry the signal (less evenly spread).
        assertThat(exposureAuc(Map.of("epochs", "2", "dense-features", "standardise")))
                .isGreaterThan(0.7);
    }

    @Test
    void aSavedModelRecordsItsDenseInputAndPredictsTheSameAfterLoading() throws Exception {
        Path saved = dir.resolve("model");
        float[] before;
        try (var backend = DjlBackendTest.backend(Map.of("epochs", "1"));
                var model = trained(backend)) {
            before = model.predict(test.batch).cvr();
            model.save(saved);
        }
        String json = Files.readString(saved.resolve(ModelFiles.JSON));
        DenseInput expected =
                DenseStatistics.of(train.source("again"), DenseTransform.LOG_STANDARDISE);
        assertThat(json)
                .contains("\"denseInput\"")
                .contains("\"transform\": \"log-standardise\"")
                .contains("\"center\": " + expected.columns().get(0).center())
                .contains("\"scale\": " + expected.columns().get(1).scale());
        try (var backend = DjlBackendTest.backend(Map.of());
                var loaded = backend.load(saved)) {
            assertThat(loaded.predict(test.batch).cvr()).containsExactly(before);
        }
        // The same seed and data train the same model.
        try (var backend = DjlBackendTest.backend(Map.of("epochs", "1"));
                var again = trained(backend)) {
            assertThat(again.predict(test.batch).cvr()).containsExactly(before);
        }
    }

    @Test
    void dataWhoseDenseFieldsDifferIsRefusedNamingTheField() {
        ArrayExposureBatch b = test.batch;
        var renamed =
                new ArrayExposureBatch(
                        b.schema()
                                .withDense(
                                        List.of(
                                                new DenseField("cost", FieldRole.ITEM),
                                                new DenseField("visits", FieldRole.USER))),
                        b.clickLabels(),
                        b.conversionLabels(),
                        b.singleValued(),
                        b.multiValued(),
                        null,
                        b.truePropensities(),
                        b.trueCvrs(),
                        b.denseValues());
        var without =
                new ArrayExposureBatch(
                        b.schema().withDense(List.of()),
                        b.clickLabels(),
                        b.conversionLabels(),
                        b.singleValued(),
                        b.multiValued(),
                        null,
                        b.truePropensities(),
                        b.trueCvrs());
        try (var backend = DjlBackendTest.backend(Map.of("epochs", "1", "batch-size", "2048"));
                var model = trained(backend)) {
            assertThatThrownBy(() -> model.predict(renamed))
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("dense field 'cost'")
                    .hasMessageContaining("'price'");
            assertThatThrownBy(() -> model.predict(without))
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("lacks dense field 'price'");
        }
    }

    @Test
    void aDataParallelReplicaRefusesDenseFieldsItCannotScaleAlikeOnEveryWorker() {
        var request = TrainingRequest.of(TestEstimators.esmmLike(), train.source("dense-train"));
        try (var backend = DjlBackendTest.backend(Map.of())) {
            assertThatThrownBy(() -> backend.replica(request))
                    .isInstanceOf(CvrException.class)
                    .hasMessageContaining("dense-train")
                    .hasMessageContaining("dense-features=off");
        }
        try (var backend = DjlBackendTest.backend(Map.of("dense-features", "off"));
                var replica = backend.replica(request)) {
            assertThat(replica).isNotNull();
        }
    }

    @Test
    void theStatisticsAreTheMeanAndStandardDeviationOfTheShapedValues() {
        float[] price = train.batch.denseValues()[0];
        for (DenseTransform t :
                List.of(DenseTransform.LOG_STANDARDISE, DenseTransform.STANDARDISE)) {
            double sum = 0;
            for (float x : price) {
                sum += t.shape(x);
            }
            double mean = sum / price.length;
            double squares = 0;
            for (float x : price) {
                squares += (t.shape(x) - mean) * (t.shape(x) - mean);
            }
            DenseInput in = DenseStatistics.of(train.source("stats"), t);
            assertThat(in.columns().get(0).center()).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
            assertThat(in.columns().get(0).scale())
                    .isCloseTo(Math.sqrt(squares / price.length), within(1e-6));
            // The first row's input is its standardised, shaped value.
            assertThat(in.value(0, price[0], "test", 0))
                    .isEqualTo(
                            (float)
                                    ((t.shape(price[0]) - in.columns().get(0).center())
                                            / in.columns().get(0).scale()));
        }
        assertThat(DenseTransform.LOG_STANDARDISE.shape(-Math.E + 1)).isCloseTo(-1, within(1e-12));
        assertThat(DenseStatistics.of(train.source("off"), DenseTransform.OFF))
                .isEqualTo(DenseInput.NONE);
    }

    @Test
    void aConstantFieldEntersAsZeroAndANonFiniteValueIsRefusedNamingColumnAndRow() {
        var constant = new DenseInput.Column("visits", 2.5, 1.0);
        var in = new DenseInput(DenseTransform.STANDARDISE, List.of(constant));
        assertThat(in.value(0, 2.5f, "log.arrow", 3)).isZero();
        assertThatThrownBy(() -> in.value(0, Float.NaN, "log.arrow", 7))
                .isInstanceOf(DataException.class)
                .hasMessage(
                        "log.arrow, column 'visits', row 7: NaN is not a finite number (dense"
                                + " values must be finite)");
    }

    @Test
    void aModelOfASchemaWithoutDenseFieldsRecordsNoDenseInput() throws Exception {
        Path saved = dir.resolve("plain");
        try (var backend = DjlBackendTest.backend(Map.of());
                var model =
                        backend.train(
                                TrainingRequest.of(
                                        TestEstimators.esmmLike(), SyntheticWorld.small(500, 3)))) {
            model.save(saved);
        }
        assertThat(Files.readString(saved.resolve(ModelFiles.JSON))).doesNotContain("dense");
    }
}
