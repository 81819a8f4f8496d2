package org.causalcvr.experiments.run;

import java.util.List;
import java.util.OptionalDouble;

/**
 * A run's validation score after each epoch of its last training stage: the stage that is validated
 * and stopped early (an earlier stage, such as a propensity model trained first, is not). Early
 * stopping keeps the parameters of the best epoch, so the curve says which epoch the run's model is
 * and how many were trained.
 *
 * @param scores one per epoch of the last stage, in order; NaN where an epoch had no score
 * @param higherIsBetter whether the score is one where larger is better (AUC) or smaller (log loss)
 */
public record ValidationCurve(List<Double> scores, boolean higherIsBetter) {
    /** The curve of a run that had no validation data. */
    public static final ValidationCurve NONE = new ValidationCurve(List.of(), true);

    public ValidationCurve {
        scores = List.copyOf(scores);
    }

    /** The epochs of the last stage that were trained. */
    public int epochs() {
        return scores.size();
    }

    /**
     * The epoch (1 first) whose score is best, the first of equals, as early stopping keeps it; 0
     * when no epoch has a score.
     */
    public int keptEpoch() {
        int best = 0;
        double bestScore = Double.NaN;
        for (int e = 0; e < scores.size(); e++) {
            double s = scores.get(e);
            if (Double.isNaN(s)) {
                continue;
            }
            if (best == 0 || (higherIsBetter ? s > bestScore : s < bestScore)) {
                best = e + 1;
                bestScore = s;
            }
        }
        return best;
    }

    /** The kept epoch's score; empty when no epoch has one. */
    public OptionalDouble best() {
        int kept = keptEpoch();
        return kept == 0 ? OptionalDouble.empty() : OptionalDouble.of(scores.get(kept - 1));
    }
}
