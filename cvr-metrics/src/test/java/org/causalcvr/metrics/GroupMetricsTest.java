package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GroupMetricsTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    // Group 7: AUC 1 over 3 rows. Group 9: AUC 1/4 over 4 rows. Group 4: positives only.
    private static final long[] GROUPS = {7, 9, 7, 9, 4, 9, 7, 9, 4};
    private static final float[] SCORES = {0.9f, 0.2f, 0.1f, 0.8f, 0.3f, 0.6f, 0.5f, 0.4f, 0.7f};
    private static final int[] LABELS = {1, 1, 0, 0, 1, 1, 0, 0, 1};

    @Test
    void gaucWeightsEachGroupsAucByItsExposures() {
        GroupReport r = GroupMetrics.compute(GROUPS, SCORES, LABELS, 2);
        // (3 · 1 + 4 · 1/4) / 7; the unweighted mean would be 0.625.
        assertThat(r.gauc()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(r.groups()).isEqualTo(3);
        assertThat(r.gaucGroups()).isEqualTo(2);
        assertThat(r.skippedOneClass()).isEqualTo(1);
        assertThat(r.gaucWeight()).isEqualTo(7);
    }

    @Test
    void recallAndNdcgAtKHandComputed() {
        GroupReport r = GroupMetrics.compute(GROUPS, SCORES, LABELS, 2);
        // Recall@2: group 7 finds its positive (1), group 9 one of two (1/2), group 4 both (1).
        assertThat(r.recallAtK()).isCloseTo((1 + 0.5 + 1) / 3, within(1e-12));
        // NDCG@2: group 9 has its first positive at rank 2: (1/log2 3) / (1 + 1/log2 3).
        double group9 = (1 / LOG2_3) / (1 + 1 / LOG2_3);
        assertThat(r.ndcgAtK()).isCloseTo((1 + group9 + 1) / 3, within(1e-12));
        assertThat(r.rankingGroups()).isEqualTo(3);
        assertThat(r.groupsWithoutPositives()).isZero();
    }

    @Test
    void tiesAtTheCutOffCountByExpectation() {
        // Three rows tie at the top, one of them positive; K = 2 takes two of the three.
        long[] groups = {1, 1, 1, 1, 2, 2};
        float[] scores = {0.5f, 0.5f, 0.5f, 0.1f, 0.3f, 0.2f};
        int[] labels = {1, 0, 0, 1, 0, 0};
        GroupReport r = GroupMetrics.compute(groups, scores, labels, 2);
        assertThat(r.recallAtK()).isCloseTo((2.0 / 3) / 2, within(1e-12));
        // Expected DCG (1/3)(1 + 1/log2 3) over IDCG (1 + 1/log2 3).
        assertThat(r.ndcgAtK()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(r.rankingGroups()).isEqualTo(1);
        assertThat(r.groupsWithoutPositives()).isEqualTo(1);
        assertThat(r.skippedOneClass()).isEqualTo(1);
        // Group 1: positives 0.5 and 0.1 against negatives 0.5, 0.5 → (½ + ½ + 0 + 0) / 4.
        assertThat(r.gauc()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void noGroupWithBothClassesGivesNanAndCounts() {
        GroupReport r =
                GroupMetrics.compute(
                        new long[] {1, 2}, new float[] {0.1f, 0.2f}, new int[] {1, 0}, 5);
        assertThat(r.gauc()).isNaN();
        assertThat(r.skippedOneClass()).isEqualTo(2);
    }

    @Property(tries = 40, seed = "17")
    void gaucOfOneGroupIsTheAuc(@ForAll long seed, @ForAll @IntRange(min = 2, max = 3000) int n) {
        var d = AucTest.tiedData(seed, n, 11);
        GroupReport r = GroupMetrics.compute(new long[n], d.scores(), d.labels(), 10);
        assertThat(r.gauc()).isCloseTo(Auc.compute(d.scores(), d.labels()), within(1e-12));
    }

    @Property(tries = 40, seed = "23")
    void recallAtKMatchesAveragingOverRandomTieBreaks(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int k) {
        var random = new SplittableRandom(seed);
        int n = 12;
        float[] scores = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            scores[i] = random.nextInt(4);
            labels[i] = random.nextInt(3) == 0 ? 1 : 0;
        }
        labels[0] = 1;
        // Reference: average recall over many random tie-breaking orders.
        double sum = 0;
        int trials = 20_000;
        Integer[] order = new Integer[n];
        for (int t = 0; t < trials; t++) {
            double[] jitter = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                jitter[i] = random.nextDouble();
            }
            java.util.Arrays.sort(
                    order,
                    (a, b) ->
                            scores[a] != scores[b]
                                    ? Float.compare(scores[b], scores[a])
                                    : Double.compare(jitter[a], jitter[b]));
            int hits = 0;
            int positives = 0;
            for (int i = 0; i < n; i++) {
                positives += labels[i];
                if (i < k) {
                    hits += labels[order[i]];
                }
            }
            sum += (double) hits / positives;
        }
        GroupReport r = GroupMetrics.compute(new long[n], scores, labels, k);
        assertThat(r.recallAtK()).isCloseTo(sum / trials, within(0.015));
    }
}
