package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;
import org.causalcvr.api.DataException;
import org.junit.jupiter.api.Test;

class AucTest {

    /** Random scores from a few distinct values (many ties), both signs and both zeros. */
    static Data tiedData(long seed, int n, int distinct) {
        var random = new SplittableRandom(seed);
        float[] scores = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int level = random.nextInt(distinct);
            // -0.0f and 0.0f are the same value and must tie.
            scores[i] =
                    level == 0
                            ? (random.nextBoolean() ? -0.0f : 0.0f)
                            : (level - distinct / 2f) * 0.37f;
            double pPositive = 0.2 + 0.6 * level / Math.max(1, distinct - 1);
            labels[i] = random.nextDouble() < pPositive ? 1 : 0;
        }
        labels[0] = 1;
        labels[n - 1] = 0;
        return new Data(scores, labels);
    }

    record Data(float[] scores, int[] labels) {
        double[] scoresOf(int label) {
            return java.util.stream.IntStream.range(0, scores.length)
                    .filter(i -> labels[i] == label)
                    .mapToDouble(i -> scores[i] + 0.0) // Commons Math orders -0.0 below 0.0
                    .toArray();
        }
    }

    @Property(tries = 150, seed = "20260517")
    void aucIsMannWhitneyUOverPairsWithManyTies(
            @ForAll long seed,
            @ForAll @IntRange(min = 2, max = 12_000) int n,
            @ForAll @IntRange(min = 1, max = 40) int distinct) {
        Data d = tiedData(seed, n, distinct);
        double[] pos = d.scoresOf(1);
        double[] neg = d.scoresOf(0);
        double pairs = (double) pos.length * neg.length;

        double auc = Auc.compute(d.scores(), d.labels());

        // Commons Math reports max(U1, U0): it fixes the value up to orientation.
        double u = new MannWhitneyUTest().mannWhitneyU(pos, neg);
        assertThat(Math.max(auc * pairs, pairs - auc * pairs)).isCloseTo(u, within(1e-6 * pairs));
        // The rank sum of the positives with average ranks for ties fixes the orientation.
        double[] all = new double[n];
        for (int i = 0; i < n; i++) {
            all[i] = d.scores()[i] + 0.0;
        }
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(all);
        double rankSum = 0;
        for (int i = 0; i < n; i++) {
            rankSum += d.labels()[i] * ranks[i];
        }
        double u1 = rankSum - pos.length * (pos.length + 1.0) / 2;
        assertThat(auc).isCloseTo(u1 / pairs, within(1e-12));
    }

    @Property(tries = 60, seed = "7")
    void streamingAccumulatorGivesTheGlobalAucWhateverTheBatches(
            @ForAll long seed,
            @ForAll @IntRange(min = 2, max = 9_000) int n,
            @ForAll @IntRange(min = 1, max = 500) int batch) {
        Data d = tiedData(seed, n, 7);
        var accumulator = new AucAccumulator("stream", 16);
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            accumulator.add(
                    Arrays.copyOfRange(d.scores(), from, to),
                    Arrays.copyOfRange(d.labels(), from, to));
        }
        assertThat(accumulator.auc()).isEqualTo(Auc.compute(d.scores(), d.labels()));
        assertThat(accumulator.positives() + accumulator.negatives()).isEqualTo(n);
    }

    @Test
    void handComputedCases() {
        // scikit-learn's roc_auc_score example: 3 of 4 pairs ordered.
        assertThat(Auc.compute(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new int[] {0, 0, 1, 1}))
                .isEqualTo(0.75);
        // One tie between the classes counts half.
        assertThat(Auc.compute(new float[] {0.5f, 0.5f, 0.9f}, new int[] {1, 0, 0}))
                .isEqualTo(0.25);
        assertThat(Auc.compute(new float[] {0f, -0f}, new int[] {1, 0})).isEqualTo(0.5);
        assertThat(Auc.compute(new float[] {1f, 2f}, new int[] {0, 1})).isEqualTo(1.0);
    }

    @Test
    void streamedBatchesAreNotAveraged() {
        // Batch 1 alone has AUC 1, batch 2 alone AUC 1; the global AUC is lower.
        var accumulator = new AucAccumulator("two batches");
        accumulator.add(new float[] {0.9f, 0.8f}, new int[] {1, 0});
        accumulator.add(new float[] {0.2f, 0.1f}, new int[] {1, 0});
        // Pairs: (0.9,0.8)+ (0.9,0.1)+ (0.2,0.8)- (0.2,0.1)+ → 3/4.
        assertThat(accumulator.auc()).isEqualTo(0.75);
    }

    @Test
    void oneClassIsAnErrorUnlessNanIsAskedFor() {
        float[] scores = {0.1f, 0.7f, 0.3f};
        int[] labels = {0, 0, 0};
        assertThatThrownBy(() -> Auc.compute(scores, labels))
                .isInstanceOf(UndefinedMetricException.class)
                .hasMessageContaining("0 positive and 3 negative rows");
        assertThat(Auc.compute(scores, labels, OneClassPolicy.NAN)).isNaN();
        assertThatThrownBy(() -> new AucAccumulator("empty").auc())
                .isInstanceOf(UndefinedMetricException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> Auc.soft(scores, new float[] {1f, 1f, 1f}))
                .isInstanceOf(UndefinedMetricException.class);
    }

    @Test
    void badInputNamesTheRow() {
        assertThatThrownBy(() -> Auc.compute(new float[] {0.1f, Float.NaN}, new int[] {0, 1}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("row 1");
        assertThatThrownBy(() -> Auc.compute(new float[] {0.1f, 0.2f}, new int[] {0, 2}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("row 1: label 2");
    }

    @Test
    void softAucHandComputed() {
        // Pairs i≠j: (pos 1, neg 0) weight 0.6·0.7 = 0.42 ordered; (pos 0, neg 1) 0.3·0.4 = 0.12
        // reversed.
        assertThat(Auc.soft(new float[] {0.2f, 0.8f}, new float[] {0.3f, 0.6f}))
                .isCloseTo(0.42 / 0.54, within(1e-6));
    }

    @Property(tries = 80, seed = "11")
    void softAucMatchesItsDefinitionOverPairs(
            @ForAll long seed, @ForAll @IntRange(min = 2, max = 60) int n) {
        var random = new SplittableRandom(seed);
        float[] scores = new float[n];
        float[] q = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = random.nextInt(5) / 4f;
            q[i] = random.nextInt(3) == 0 ? random.nextInt(2) : (float) random.nextDouble();
        }
        q[0] = 0.5f;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double w = q[i] * (1.0 - q[j]);
                    double h = scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    num += w * h;
                    den += w;
                }
            }
        }
        assertThat(Auc.soft(scores, q)).isCloseTo(num / den, within(1e-9));
    }

    @Property(tries = 40, seed = "3")
    void softAucOfZeroOneProbabilitiesIsTheBinaryAuc(
            @ForAll long seed, @ForAll @IntRange(min = 2, max = 6_000) int n) {
        Data d = tiedData(seed, n, 9);
        float[] q = new float[n];
        for (int i = 0; i < n; i++) {
            q[i] = d.labels()[i];
        }
        assertThat(Auc.soft(d.scores(), q))
                .isCloseTo(Auc.compute(d.scores(), d.labels()), within(1e-12));
    }

    @Test
    void radixSortOrdersLikeArraysSort() {
        var random = new SplittableRandom(5);
        int[] keys = new int[50_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextInt();
        }
        int[] expected = keys.clone();
        Arrays.sort(expected);
        PrimitiveSort.sortInts(keys, keys.length, null);
        assertThat(keys).isEqualTo(expected);
        int[] window = new int[30_000];
        for (int i = 0; i < window.length; i++) {
            window[i] = random.nextInt();
        }
        int[] expectedWindow = window.clone();
        Arrays.sort(expectedWindow, 7_000, 25_000);
        PrimitiveSort.sortInts(window, 7_000, 25_000, null);
        assertThat(window).isEqualTo(expectedWindow);
        long[] records = new long[20_000];
        for (int i = 0; i < records.length; i++) {
            records[i] = ((long) random.nextInt(1000) - 500) << 32 | i;
        }
        PrimitiveSort.sortByHighInt(records, records.length, null);
        for (int i = 1; i < records.length; i++) {
            int a = (int) (records[i - 1] >>> 32);
            int b = (int) (records[i] >>> 32);
            assertThat(a <= b && (a < b || (int) records[i - 1] < (int) records[i])).isTrue();
        }
    }

    @Test
    void scoreKeysPreserveFloatOrder() {
        float[] values = {
            Float.NEGATIVE_INFINITY,
            -3.5f,
            -1e-30f,
            -0.0f,
            0.0f,
            1e-30f,
            0.25f,
            7f,
            Float.POSITIVE_INFINITY
        };
        for (float a : values) {
            for (float b : values) {
                assertThat(Integer.compare(ScoreKeys.key(a), ScoreKeys.key(b)))
                        .isEqualTo(a < b ? -1 : a == b ? 0 : 1);
            }
            assertThat(ScoreKeys.score(ScoreKeys.key(a))).isEqualTo(a + 0.0f);
        }
    }
}
