package org.causalcvr.metrics;

import java.util.Arrays;
import org.causalcvr.api.DataException;

/**
 * GAUC, Recall@K and NDCG@K over the groups (users or page views) of scored, labelled rows.
 *
 * <ul>
 *   <li><b>GAUC</b> (paper eq. 12): {@code Σ_g w_g AUC_g / Σ_g w_g}, where {@code AUC_g} is the
 *       exact AUC (ties half) of group g and {@code w_g} its number of exposures. Groups with one
 *       class have no AUC: they are skipped and counted ({@link GroupReport#skippedOneClass()}).
 *   <li><b>Recall@K</b> of a group with {@code m ≥ 1} positives: (positives among the K
 *       highest-scored rows) / m.
 *   <li><b>NDCG@K</b>: {@code Σ_{rank ≤ K} rel(rank) / log2(rank + 1)} divided by its maximum
 *       {@code Σ_{rank ≤ min(K, m)} 1 / log2(rank + 1)}, with binary relevance.
 * </ul>
 *
 * Both ranking metrics are averaged over the groups with at least one positive, unweighted; groups
 * without one are counted. <b>Ties</b> at the cut-off are resolved by expectation over a uniformly
 * random order of the tied rows (no arbitrary tie-break): a block of {@code b} tied rows holding
 * {@code c} positives at ranks {@code a+1 … a+b} contributes {@code c/b} to each of those ranks.
 */
public final class GroupMetrics {
    private GroupMetrics() {}

    /**
     * Computes GAUC, Recall@K and NDCG@K.
     *
     * @param groups the group id of every row
     * @param scores the predicted scores
     * @param labels 0/1 labels
     * @param k the ranking cut-off, at least 1
     */
    public static GroupReport compute(long[] groups, float[] scores, int[] labels, int k) {
        if (groups.length != scores.length) {
            throw new IllegalArgumentException(
                    groups.length + " group ids but " + scores.length + " scores");
        }
        var dense = GroupIds.of(groups);
        return computeDense(dense.ids(), dense.count(), scores, labels, k, "scores");
    }

    static GroupReport computeDense(
            int[] groups, int groupCount, float[] scores, int[] labels, int k, String what) {
        Auc.requireSameLength(scores.length, labels.length, what);
        if (k < 1) {
            throw new IllegalArgumentException("K must be at least 1, got " + k);
        }
        int n = scores.length;
        int[] offsets = new int[groupCount + 1];
        for (int i = 0; i < n; i++) {
            offsets[groups[i] + 1]++;
        }
        int largest = 0;
        for (int g = 0; g < groupCount; g++) {
            largest = Math.max(largest, offsets[g + 1]);
            offsets[g + 1] += offsets[g];
        }
        // Counting sort of rows by group: each group's rows become one contiguous run of records.
        long[] records = new long[n];
        int[] cursor = Arrays.copyOf(offsets, groupCount);
        for (int i = 0; i < n; i++) {
            ScoreKeys.requireNumber(scores[i], what, i);
            if ((labels[i] & ~1) != 0) {
                throw new DataException(
                        what + ", row " + i + ": label " + labels[i] + " is not 0 or 1");
            }
            records[cursor[groups[i]]++] = ((long) ScoreKeys.key(scores[i]) << 32) | labels[i];
        }
        cursor = null;
        double[] discountPrefix = new double[k + 1];
        for (int r = 0; r < k; r++) {
            discountPrefix[r + 1] = discountPrefix[r] + 1.0 / log2(r + 2);
        }

        long present = 0;
        double weightedAuc = 0;
        long gaucGroups = 0;
        long skipped = 0;
        long weight = 0;
        double recallSum = 0;
        double ndcgSum = 0;
        long rankingGroups = 0;
        long withoutPositives = 0;
        for (int g = 0; g < groupCount; g++) {
            int from = offsets[g];
            int to = offsets[g + 1];
            int size = to - from;
            if (size == 0) {
                continue;
            }
            present++;
            Arrays.sort(records, from, to);
            int positives = 0;
            for (int i = from; i < to; i++) {
                positives += (int) records[i] & 1;
            }
            int negatives = size - positives;
            if (positives > 0 && negatives > 0) {
                weightedAuc += size * groupAuc(records, from, to, positives, negatives);
                weight += size;
                gaucGroups++;
            } else {
                skipped++;
            }
            if (positives == 0) {
                withoutPositives++;
                continue;
            }
            rankingGroups++;
            double hits = 0;
            double dcg = 0;
            int rank = 0; // rows already placed above the current tie block
            int i = to - 1;
            while (i >= from && rank < k) {
                int key = (int) (records[i] >>> 32);
                int start = i;
                int blockPositives = 0;
                while (start >= from && (int) (records[start] >>> 32) == key) {
                    blockPositives += (int) records[start] & 1;
                    start--;
                }
                int block = i - start;
                int lastInTop = Math.min(rank + block, k);
                double share = (double) blockPositives / block;
                hits += share * (lastInTop - rank);
                dcg += share * (discountPrefix[lastInTop] - discountPrefix[rank]);
                rank += block;
                i = start;
            }
            recallSum += hits / positives;
            ndcgSum += dcg / discountPrefix[Math.min(k, positives)];
        }
        return new GroupReport(
                present,
                gaucGroups == 0 ? Double.NaN : weightedAuc / weight,
                gaucGroups,
                skipped,
                weight,
                k,
                rankingGroups == 0 ? Double.NaN : recallSum / rankingGroups,
                rankingGroups == 0 ? Double.NaN : ndcgSum / rankingGroups,
                rankingGroups,
                withoutPositives);
    }

    /** The AUC of one group's records, sorted ascending by key, then label. */
    private static double groupAuc(long[] records, int from, int to, int n1, int n0) {
        long twiceU = 0;
        long negativesBelow = 0;
        int i = from;
        while (i < to) {
            int key = (int) (records[i] >>> 32);
            int end = i;
            int pos = 0;
            while (end < to && (int) (records[end] >>> 32) == key) {
                pos += (int) records[end] & 1;
                end++;
            }
            int neg = end - i - pos;
            twiceU += pos * (2 * negativesBelow + neg);
            negativesBelow += neg;
            i = end;
        }
        return twiceU / (2.0 * n1 * n0);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
