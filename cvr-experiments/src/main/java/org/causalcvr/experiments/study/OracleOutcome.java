package org.causalcvr.experiments.study;

import java.util.Map;

/**
 * What an oracle's scores reach on a world's test rows, measured as the estimators are: one value
 * each, since nothing was trained.
 *
 * @param name the oracle's label
 * @param meaning what its scores are
 * @param auc the soft AUC of its scores against {@code true_cvr} on every test exposure
 * @param bias its mean score minus the mean {@code true_cvr}
 * @param bucketAuc per bucket field: per bucket, the soft AUC in the bucket (NaN without weight)
 */
public record OracleOutcome(
        String name, String meaning, double auc, double bias, Map<String, double[]> bucketAuc) {
    public OracleOutcome {
        bucketAuc = Map.copyOf(bucketAuc);
    }
}
