package org.causalcvr.experiments.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.causalcvr.experiments.report.ComparisonReport;
import org.causalcvr.metrics.PairedTTest;
import org.causalcvr.metrics.PairedTTestResult;

/**
 * The study's results in one world.
 *
 * @param world the world (label and expectation; its sources are not kept open)
 * @param arms per estimator, in the comparison's order
 * @param buckets the popularity buckets of the test rows, per bucket field
 * @param comparison the world's full comparison report (every metric in every space)
 * @param oracles what each of the world's oracles reaches on the same test rows
 */
public record WorldOutcome(
        StudyWorld world,
        List<ArmOutcome> arms,
        List<PopularityBuckets> buckets,
        ComparisonReport comparison,
        List<OracleOutcome> oracles) {
    public WorldOutcome {
        arms = List.copyOf(arms);
        buckets = List.copyOf(buckets);
        oracles = List.copyOf(oracles);
    }

    /** The outcome of the arm labelled {@code label}. */
    public Optional<ArmOutcome> arm(String label) {
        return arms.stream().filter(a -> a.arm().equals(label)).findFirst();
    }

    /**
     * Student's paired t-test over seeds of {@code label}'s AUC against the true CVR against {@code
     * reference}'s, pairing the runs with the same seed (the seeds where either failed are left
     * out): whether one estimator's training beats the other's over the randomness of training, on
     * this world's test rows. Empty for the reference itself, an unknown arm, or fewer than two
     * pairs.
     */
    public Optional<PairedTTestResult> pairedOverSeeds(String label, String reference) {
        if (label.equals(reference)) {
            return Optional.empty();
        }
        Optional<ArmOutcome> a = arm(label);
        Optional<ArmOutcome> b = arm(reference);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        var mine = new ArrayList<Double>();
        var theirs = new ArrayList<Double>();
        for (int i = 0; i < a.get().seeds().size(); i++) {
            int j = b.get().seeds().indexOf(a.get().seeds().get(i));
            if (j >= 0) {
                mine.add(a.get().auc()[i]);
                theirs.add(b.get().auc()[j]);
            }
        }
        if (mine.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(
                PairedTTest.compare(
                        mine.stream().mapToDouble(Double::doubleValue).toArray(),
                        theirs.stream().mapToDouble(Double::doubleValue).toArray()));
    }
}
