package org.causalcvr.metrics;

/**
 * Per-group metrics of one evaluation space: GAUC (paper eq. 12), Recall@K and NDCG@K.
 *
 * @param groups distinct groups with at least one row in the space
 * @param gauc {@code Σ_g w_g AUC_g / Σ_g w_g} over the groups holding both classes, with {@code
 *     w_g} the group's number of exposures (rows) in the space; NaN if no group holds both
 * @param gaucGroups groups that entered the GAUC
 * @param skippedOneClass groups left out of the GAUC because they hold one class only
 * @param gaucWeight {@code Σ_g w_g} over the groups that entered the GAUC
 * @param k the cut-off of Recall@K and NDCG@K
 * @param recallAtK mean over groups with a positive of (positives ranked in the top K) / (the
 *     group's positives); NaN if no group has a positive
 * @param ndcgAtK mean over groups with a positive of DCG@K / IDCG@K with binary gains and discount
 *     {@code 1 / log2(rank + 1)}; NaN if no group has a positive
 * @param rankingGroups groups with at least one positive (the groups of Recall@K and NDCG@K)
 * @param groupsWithoutPositives groups left out of Recall@K and NDCG@K for want of a positive
 */
public record GroupReport(
        long groups,
        double gauc,
        long gaucGroups,
        long skippedOneClass,
        long gaucWeight,
        int k,
        double recallAtK,
        double ndcgAtK,
        long rankingGroups,
        long groupsWithoutPositives) {}
