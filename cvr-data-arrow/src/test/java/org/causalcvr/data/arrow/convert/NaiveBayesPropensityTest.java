package org.causalcvr.data.arrow.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;
import org.causalcvr.data.arrow.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The naive Bayes propensity column of {@code --propensity naive-bayes}, by hand. */
class NaiveBayesPropensityTest {
    @TempDir Path dir;
    Allocators memory;

    @BeforeEach
    void start() {
        memory = Allocators.create();
    }

    @AfterEach
    void leakCheck() {
        memory.close();
    }

    @Test
    void bayesRuleOnCounts() {
        // 10 of 100 pairs rated, 6 of them positive; 1 of 4 random ratings positive.
        var nb = NaiveBayesPropensity.of(10, 6, 100, 4, 1, "a sample");
        assertThat(nb.observed()).isEqualTo(0.1);
        // p(o=1|y=1) = P(y=1|o=1) P(o=1) / P(y=1) = 0.6 * 0.1 / 0.25 = 0.24
        assertThat(nb.givenLabel(1)).isCloseTo(0.24, within(1e-12));
        // p(o=1|y=0) = 0.4 * 0.1 / 0.75 = 0.05333...
        assertThat(nb.givenLabel(0)).isCloseTo(0.4 * 0.1 / 0.75, within(1e-12));
        assertThat(nb.forRow(1, 1)).isEqualTo(0.24f);
        assertThat(nb.forRow(0, 0)).isEqualTo(0.1f);
        assertThat(nb.description())
                .startsWith("naive-bayes: ")
                .contains("P(o=1) = 10/100")
                .contains("P(y=1) = 1/4 = 0.250000 (a sample)");
    }

    @Test
    void aShareOfZeroOrOneIsRefusedNamingTheSample() {
        assertThatThrownBy(() -> NaiveBayesPropensity.of(10, 6, 100, 3, 0, "the 3 ratings"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("0 of 3 ratings of the 3 ratings are positive");
        assertThatThrownBy(() -> NaiveBayesPropensity.of(10, 10, 100, 3, 1, "s"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("10 of 10 self-selected ratings");
    }

    @Test
    void everyFileCarriesTheColumnComputedByHand() throws IOException {
        var result =
                YahooPropensityFixture.convert(
                        dir, CoatConverter.PropensityEstimate.NAIVE_BAYES, memory);
        ArrayExposureBatch train = YahooPropensityFixture.read(result.train(), memory);
        assertThat(train.size()).isEqualTo(40 + 2);
        // The two appended random ratings are the last rows; P(y=1) is their share of positives.
        int appendedPositive = train.conversionLabels()[40] + train.conversionLabels()[41];
        assertThat(appendedPositive).as("seed 1 appends one of each label").isEqualTo(1);
        double po = 8.0 / 40; // P(o=1)
        double py1o = 3.0 / 8; // P(y=1 | o=1): ratings 5, 4, 5 of the 8
        double py1 = 1.0 / 2; // P(y=1) in the appended 5%
        float positive = (float) (py1o * po / py1); // 0.15
        float negative = (float) ((1 - py1o) * po / (1 - py1)); // 0.25
        assertThat(positive).isEqualTo(0.15f);
        assertThat(negative).isEqualTo(0.25f);
        float[] p = train.propensities();
        assertThat(p).hasSize(42);
        for (int r = 0; r < 42; r++) {
            float expected =
                    train.clickLabels()[r] == 0
                            ? (float) po
                            : train.conversionLabels()[r] == 1 ? positive : negative;
            assertThat(p[r]).as("row " + r).isEqualTo(expected);
        }
        // user 1, song 1 rated 5 (row 0): positive; user 1, song 2 rated 1 (row 1): negative
        assertThat(p[0]).isEqualTo(0.15f);
        assertThat(p[1]).isEqualTo(0.25f);
        assertThat(p[2]).isEqualTo(0.2f);
        for (Path f : List.of(result.validation().orElseThrow(), result.test())) {
            ArrayExposureBatch b = YahooPropensityFixture.read(f, memory);
            for (int r = 0; r < b.size(); r++) {
                assertThat(b.propensities()[r])
                        .isEqualTo(b.conversionLabels()[r] == 1 ? positive : negative);
            }
        }
        var source = ArrowExposureSource.file(result.train(), memory);
        assertThat(source.logSchema().hasPropensity()).isTrue();
        assertThat(source.metadata().get(ExposureLogSchema.PROPENSITY_METHOD_KEY))
                .startsWith("naive-bayes: ")
                .contains("P(o=1) = 8/40")
                .contains("P(y=1|o=1) = 3/8")
                .contains("P(y=1) = 1/2");
    }

    @Test
    void theColumnSurvivesACopyThroughTheWriter() throws IOException {
        var result =
                YahooPropensityFixture.convert(
                        dir, CoatConverter.PropensityEstimate.NAIVE_BAYES, memory);
        ArrayExposureBatch train = YahooPropensityFixture.read(result.train(), memory);
        var schema = ArrowExposureSource.file(result.train(), memory).logSchema();
        Path copy = dir.resolve("copy.arrow");
        try (ExposureWriter w =
                ExposureWriter.create(copy, schema, memory.root(), IpcFormat.FILE, 7)) {
            w.write(train);
            w.commit();
        }
        ArrayExposureBatch again = YahooPropensityFixture.read(copy, memory);
        TestBatches.assertSameRows(train, again);
        assertThat(again.propensities()).isEqualTo(train.propensities());
        assertThat(again.propensity()).isPresent();
    }

    @Test
    void withoutTheOptionNoFileHasTheColumn() throws IOException {
        var options = new CoatConverter.Options(4, CoatConverter.Protocol.FIVE_FIVE_NINETY, 1);
        var result =
                YahooR3Converter.convert(
                        YahooPropensityFixture.write(dir), dir.resolve("out"), options, memory);
        assertThat(YahooPropensityFixture.read(result.train(), memory).propensities()).isNull();
        assertThat(ArrowExposureSource.file(result.train(), memory).logSchema().hasPropensity())
                .isFalse();
    }

    @Test
    void naiveBayesNeedsTheFiveFiveNinetyProtocol() {
        assertThatThrownBy(
                        () ->
                                new CoatConverter.Options(
                                        4,
                                        CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST,
                                        1,
                                        0.0,
                                        CoatConverter.PropensityEstimate.NAIVE_BAYES))
                .hasMessageContaining("5-5-90");
        assertThat(CoatConverter.PropensityEstimate.of("naive-bayes"))
                .isEqualTo(CoatConverter.PropensityEstimate.NAIVE_BAYES);
        assertThat(ReservedColumns.isReserved("propensity")).isTrue();
    }
}
