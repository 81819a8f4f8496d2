package org.causalcvr.data.arrow.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.data.arrow.TestBatches;
import org.causalcvr.testkit.MonteCarlo;
import org.junit.jupiter.api.Test;

/**
 * The world's two oracle CVRs are the conditional expectations they claim to be: checked against
 * the rows the world generates, by the laws that define them (a mean of residuals that vanishes),
 * and against the true CVR itself where nothing is hidden.
 */
class OracleCvrTest {
    private static final int ROWS = 200_000;
    private static final long FIRST = 1_000;

    private static WorldConfig small(double visibility, double gamma) {
        return Presets.get("small")
                .withSeed(2020)
                .withConfounding(gamma)
                .withRates(0.05, 0.1)
                .withConfounderVisibility(visibility)
                .withPopularitySkew(1.0);
    }

    /** Rows [FIRST, FIRST + ROWS) as the world writes them. */
    private static ArrayExposureBatch rows(SyntheticWorld w) {
        var source = w.source(FIRST + ROWS, 65_536);
        ArrayExposureBatch all = TestBatches.readAll(source);
        return all.slice((int) FIRST, (int) FIRST + ROWS);
    }

    @Test
    void withTheConfounderAllSeenBothOraclesAreTheTrueCvr() {
        assertBothOraclesAreTheTrueCvr(small(1.0, 1.5));
    }

    @Test
    void withoutConfoundingNothingIsHiddenEvenAtVisibilityZero() {
        assertBothOraclesAreTheTrueCvr(small(0.0, 0.0));
    }

    /** Nothing hidden: both expectations are the true CVR of every row (to float rounding). */
    private static void assertBothOraclesAreTheTrueCvr(WorldConfig config) {
        SyntheticWorld w = SyntheticWorld.build(config);
        ArrayExposureBatch b = rows(w);
        OracleCvr o = w.oracleCvr(FIRST, ROWS);
        for (int r = 0; r < ROWS; r += 97) {
            float q = b.trueCvr().orElseThrow().getFloat(r);
            assertThat(o.givenFeatures()[r]).isCloseTo(q, within(1e-6f + 1e-5f * q));
            assertThat(o.givenFeaturesAndClick()[r]).isCloseTo(q, within(1e-6f + 1e-5f * q));
        }
    }

    @Test
    void withAHiddenConfounderTheOraclesAreTheConditionalMeansOfTheGeneratedRows() {
        SyntheticWorld w = SyntheticWorld.build(small(0.0, 1.5));
        ArrayExposureBatch b = rows(w);
        OracleCvr o = w.oracleCvr(FIRST, ROWS);
        var q = b.trueCvr().orElseThrow();
        var p = b.truePropensity().orElseThrow();
        // E[q - E[q|x]] = 0, and E[p·(q - E[q|x,o=1])] = 0: each residual is mean zero given x
        double[] plain = new double[ROWS];
        double[] clickWeighted = new double[ROWS];
        double[] clickWeightedWrong = new double[ROWS];
        double sumP = 0;
        for (int r = 0; r < ROWS; r++) {
            plain[r] = q.getFloat(r) - o.givenFeatures()[r];
            clickWeighted[r] = p.getFloat(r) * (q.getFloat(r) - o.givenFeaturesAndClick()[r]);
            clickWeightedWrong[r] = p.getFloat(r) * (q.getFloat(r) - o.givenFeatures()[r]);
            sumP += p.getFloat(r);
        }
        assertThat(Math.abs(MonteCarlo.mean(plain)))
                .isLessThan(4 * MonteCarlo.standardError(plain));
        assertThat(Math.abs(MonteCarlo.mean(clickWeighted)))
                .isLessThan(4 * MonteCarlo.standardError(clickWeighted));
        // the clicks over-represent high-CVR exposures: E[q|x] misses that by far more than noise
        assertThat(MonteCarlo.mean(clickWeightedWrong))
                .isGreaterThan(20 * MonteCarlo.standardError(clickWeightedWrong));
        // and in this world the selection bias of the common limit is about +6.6 points of CVR
        double bias = 0;
        for (int r = 0; r < ROWS; r++) {
            bias += o.givenFeaturesAndClick()[r] - o.givenFeatures()[r];
        }
        assertThat(bias / ROWS).isBetween(0.05, 0.08);
        assertThat(sumP / ROWS).isCloseTo(0.05, within(0.005));
    }

    @Test
    void rowsAreTheSameWhereverTheRangeStarts() {
        SyntheticWorld w = SyntheticWorld.build(small(0.5, 1.5));
        OracleCvr whole = w.oracleCvr(0, 70_000);
        OracleCvr tail = w.oracleCvr(65_000, 5_000);
        for (int r = 0; r < 5_000; r++) {
            assertThat(tail.givenFeatures()[r]).isEqualTo(whole.givenFeatures()[65_000 + r]);
            assertThat(tail.givenFeaturesAndClick()[r])
                    .isEqualTo(whole.givenFeaturesAndClick()[65_000 + r]);
        }
    }
}
