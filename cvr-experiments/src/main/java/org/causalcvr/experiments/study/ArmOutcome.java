package org.causalcvr.experiments.study;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.metrics.DeLongResult;
import org.causalcvr.metrics.SeedSummary;

/**
 * What one estimator did in one world of a study, seed by seed (failed runs left out).
 *
 * @param arm the estimator's label
 * @param seeds the seeds of the runs that did not fail, in run order
 * @param failed the number of failed runs (constant or non-finite predictions)
 * @param auc per seed: the exposure-space CVR AUC against {@code true_cvr} (soft labels)
 * @param bias per seed: mean pCVR minus mean {@code true_cvr} over every test exposure
 * @param bestEpoch per seed: the epoch (1 first) whose parameters early stopping kept, by the score
 *     on the world's validation sample; empty when the study stopped nothing early
 * @param epochsTrained per seed: the epochs the run trained before it stopped (empty likewise)
 * @param choice the backend setting chosen for this estimator on the world's validation sample, if
 *     the study chose one
 * @param deLong per reference arm, per seed: DeLong's test of this run against the reference's run
 *     with the same seed, on every exposure with conversion labels drawn from {@code true_cvr}
 *     where unclicked (empty for the reference itself or when its run of that seed failed)
 * @param bucketAuc per bucket field: per bucket, per seed, the soft AUC against {@code true_cvr} on
 *     the test rows of the bucket (NaN when a bucket has no weight)
 */
public record ArmOutcome(
        String arm,
        List<Long> seeds,
        int failed,
        double[] auc,
        double[] bias,
        int[] bestEpoch,
        int[] epochsTrained,
        Optional<SettingChoice> choice,
        Map<String, List<Optional<DeLongResult>>> deLong,
        Map<String, double[][]> bucketAuc) {

    public ArmOutcome {
        seeds = List.copyOf(seeds);
        var copy = new java.util.LinkedHashMap<String, List<Optional<DeLongResult>>>();
        deLong.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        deLong = java.util.Collections.unmodifiableMap(copy);
        bucketAuc = Map.copyOf(bucketAuc);
    }

    /** Whether the runs stopped early on validation (and {@link #bestEpoch} says where). */
    public boolean stoppedEarly() {
        return bestEpoch.length > 0;
    }

    /** Mean ± std of the AUC against the true CVR. */
    public SeedSummary aucSummary() {
        return summary(auc);
    }

    /** Mean ± std of the bias of the mean pCVR. */
    public SeedSummary biasSummary() {
        return summary(bias);
    }

    /** Mean ± std of {@code values}; NaN for both (and 0 runs) when there is none. */
    static SeedSummary summary(double[] values) {
        return values.length == 0
                ? new SeedSummary(0, Double.NaN, Double.NaN)
                : SeedSummary.of(values);
    }

    /** Mean ± std over seeds of the AUC in bucket {@code b} of {@code field}. */
    public SeedSummary bucketSummary(String field, int b) {
        double[] v = bucketAuc.get(field)[b];
        return summary(Arrays.stream(v).filter(Double::isFinite).toArray());
    }

    /**
     * The DeLong tests against {@code reference} that exist (one per seed it ran without failing).
     */
    public List<DeLongResult> tests(String reference) {
        return deLong.getOrDefault(reference, List.of()).stream()
                .flatMap(Optional::stream)
                .toList();
    }

    /** The median DeLong p-value against {@code reference} over seeds; NaN without a test. */
    public double medianP(String reference) {
        double[] p = tests(reference).stream().mapToDouble(DeLongResult::pValue).sorted().toArray();
        if (p.length == 0) {
            return Double.NaN;
        }
        return p.length % 2 == 1 ? p[p.length / 2] : (p[p.length / 2 - 1] + p[p.length / 2]) / 2;
    }

    /**
     * The number of seeds on which this arm beats {@code reference} with DeLong p below {@code
     * alpha}.
     */
    public long seedsSignificantlyAbove(String reference, double alpha) {
        return tests(reference).stream()
                .filter(d -> d.difference() > 0 && d.pValue() < alpha)
                .count();
    }

    /**
     * The number of seeds on which {@code reference} beats this arm with DeLong p below {@code
     * alpha}.
     */
    public long seedsSignificantlyBelow(String reference, double alpha) {
        return tests(reference).stream()
                .filter(d -> d.difference() < 0 && d.pValue() < alpha)
                .count();
    }
}
