package org.causalcvr.data.arrow.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rating-level naive Bayes column of {@code --propensity naive-bayes-rating}, by hand. */
class RatingNaiveBayesPropensityTest {
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
    void bayesRuleOnSmoothedCountsPerLevel() {
        // 8 of 40 pairs rated: levels 1..5 seen 2, 2, 1, 1, 2 times; the random sample has one
        // rating 1 and one rating 5, so levels 2-4 have count 0 there and need the smoothing.
        var nb =
                RatingNaiveBayesPropensity.of(
                        new long[] {2, 2, 1, 1, 2}, 40, new long[] {1, 0, 0, 0, 1}, "a sample");
        assertThat(nb.observed()).isEqualTo(0.2);
        assertThat(nb.levels()).isEqualTo(5);
        // p(o=1|k) = (n_k+1)/(8+5) * 0.2 / ((m_k+1)/(2+5))
        assertThat(nb.givenRating(1)).isCloseTo(3.0 / 13 * 0.2 / (2.0 / 7), within(1e-12));
        assertThat(nb.givenRating(2)).isCloseTo(3.0 / 13 * 0.2 / (1.0 / 7), within(1e-12));
        assertThat(nb.givenRating(3)).isCloseTo(2.0 / 13 * 0.2 / (1.0 / 7), within(1e-12));
        assertThat(nb.givenRating(4)).isCloseTo(2.0 / 13 * 0.2 / (1.0 / 7), within(1e-12));
        assertThat(nb.givenRating(5)).isCloseTo(3.0 / 13 * 0.2 / (2.0 / 7), within(1e-12));
        assertThat(nb.givenRating(2)).isCloseTo(0.323077, within(1e-6));
        assertThat(nb.forRow(1, 2, 0)).isEqualTo((float) (3.0 / 13 * 0.2 * 7));
        assertThat(nb.forRow(0, 0, 0)).as("not rated: P(o=1)").isEqualTo(0.2f);
        assertThat(nb.description())
                .startsWith("naive-bayes-rating: ")
                .contains("P(o=1) = 8/40")
                .contains("k=2: P(k|o=1) = (2+1)/(8+5) = 0.230769, P(k) = (0+1)/(2+5) = 0.142857")
                .contains("P(k) from a sample;");
    }

    @Test
    void aLargeRatioIsCappedAtOneAndABadRatingIsRefused() {
        var nb = RatingNaiveBayesPropensity.of(new long[] {9, 0}, 10, new long[] {0, 9}, "s");
        // (9+1)/(9+2) * 0.9 / ((0+1)/(9+2)) = 9 > 1
        assertThat(nb.givenRating(1)).isEqualTo(1.0);
        assertThat(nb.givenRating(2)).isCloseTo(1.0 / 11 * 0.9 / (10.0 / 11), within(1e-12));
        assertThatThrownBy(() -> nb.forRow(1, 3, 0))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("rating 3 is outside 1..2");
        assertThatThrownBy(
                        () ->
                                RatingNaiveBayesPropensity.of(
                                        new long[] {1, 1}, 10, new long[] {0, 0}, "the sample"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("0 ratings in the sample");
    }

    @Test
    void everyFileCarriesTheLevelsValueComputedByHand() throws IOException {
        var result =
                YahooPropensityFixture.convert(
                        dir, CoatConverter.PropensityEstimate.NAIVE_BAYES_RATING, memory);
        ArrayExposureBatch train = YahooPropensityFixture.read(result.train(), memory);
        assertThat(train.size()).isEqualTo(40 + 2);
        // Self-selected levels 1..5: 2, 2, 1, 1, 2 of 8 rated pairs out of 40. Seed 1 appends two
        // random ratings, a 2 and a 5 (one of each label, as NaiveBayesPropensityTest finds), so
        // the sample's counts by level are 0, 1, 0, 0, 1.
        double po = 8.0 / 40;
        double[] expected = new double[5];
        long[] self = {2, 2, 1, 1, 2};
        long[] sample = {0, 1, 0, 0, 1};
        for (int k = 0; k < 5; k++) {
            expected[k] = (self[k] + 1.0) / 13 * po / ((sample[k] + 1.0) / 7);
        }
        float[] p = train.propensities();
        // row-major 8 x 5 pairs: (1,1) rated 5, (1,2) rated 1, (1,3) not rated
        assertThat(p[0]).isEqualTo((float) expected[4]);
        assertThat(p[1]).isEqualTo((float) expected[0]);
        assertThat(p[2]).isEqualTo((float) po);
        // (3,1) rated 2 is row 10; (4,5) rated 3 is row 19
        assertThat(p[10]).isEqualTo((float) expected[1]);
        assertThat(p[19]).isEqualTo((float) expected[2]);
        assertThat(new float[] {p[40], p[41]})
                .as("the appended 2 and 5")
                .containsExactlyInAnyOrder((float) expected[1], (float) expected[4]);
        assertThat(expected[1]).isCloseTo(0.161538, within(1e-6));
        assertThat(expected[0]).as("level 1: none in the sample").isCloseTo(0.323077, within(1e-6));
        for (Path f : List.of(result.validation().orElseThrow(), result.test())) {
            ArrayExposureBatch b = YahooPropensityFixture.read(f, memory);
            for (int r = 0; r < b.size(); r++) {
                assertThat((double) b.propensities()[r])
                        .isIn(
                                (double) (float) expected[0],
                                (double) (float) expected[1],
                                (double) (float) expected[2],
                                (double) (float) expected[3],
                                (double) (float) expected[4]);
            }
        }
        assertThat(
                        ArrowExposureSource.file(result.train(), memory)
                                .metadata()
                                .get(ExposureLogSchema.PROPENSITY_METHOD_KEY))
                .startsWith("naive-bayes-rating: ")
                .contains("P(o=1) = 8/40")
                .contains("k=2: P(k|o=1) = (2+1)/(8+5)")
                .contains("k=5: P(k|o=1) = (2+1)/(8+5) = 0.230769, P(k) = (1+1)/(2+5) = 0.285714");
    }

    @Test
    void theRatingMethodNeedsTheFiveFiveNinetyProtocol() {
        assertThat(CoatConverter.PropensityEstimate.of("naive-bayes-rating"))
                .isEqualTo(CoatConverter.PropensityEstimate.NAIVE_BAYES_RATING);
        assertThatThrownBy(
                        () ->
                                new CoatConverter.Options(
                                        4,
                                        CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST,
                                        1,
                                        0.0,
                                        CoatConverter.PropensityEstimate.NAIVE_BAYES_RATING))
                .hasMessageContaining("naive-bayes-rating")
                .hasMessageContaining("5-5-90");
    }
}
