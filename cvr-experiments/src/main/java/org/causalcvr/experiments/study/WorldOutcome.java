package org.causalcvr.experiments.study;

import java.util.List;
import java.util.Optional;
import org.causalcvr.experiments.report.ComparisonReport;

/**
 * The study's results in one world.
 *
 * @param world the world (label and expectation; its sources are not kept open)
 * @param arms per estimator, in the comparison's order
 * @param buckets the popularity buckets of the test rows, per bucket field
 * @param comparison the world's full comparison report (every metric in every space)
 */
public record WorldOutcome(
        StudyWorld world,
        List<ArmOutcome> arms,
        List<PopularityBuckets> buckets,
        ComparisonReport comparison) {
    public WorldOutcome {
        arms = List.copyOf(arms);
        buckets = List.copyOf(buckets);
    }

    /** The outcome of the arm labelled {@code label}. */
    public Optional<ArmOutcome> arm(String label) {
        return arms.stream().filter(a -> a.arm().equals(label)).findFirst();
    }
}
