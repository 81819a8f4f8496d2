package org.causalcvr.experiments.report;

import java.util.Optional;
import org.causalcvr.metrics.DeLongResult;
import org.causalcvr.metrics.SeedSummary;

/**
 * How far an estimator's mean test AUC lies above a reference estimator's (base), over seeds and on
 * one seed's test rows.
 *
 * <p>Over seeds: the difference of the means {@code d = x̄ − ȳ} and its standard error {@code
 * sqrt(s_x²/n_x + s_y²/n_y)} (Welch's, the seeds of the two arms taken as independent samples);
 * {@code d / se} above 2 is the "more than two standard errors". On the first seed's
 * predictions: DeLong's test of the two correlated AUCs on the same rows.
 *
 * @param arm the estimator's arm
 * @param reference the reference arm
 * @param armSummary the arm's AUC over its runs that did not fail
 * @param referenceSummary the reference's AUC over its runs that did not fail
 * @param deLong DeLong's test on the first seed (A = reference, B = arm), when both have scores
 */
public record GainOverReference(
        String arm,
        String reference,
        SeedSummary armSummary,
        SeedSummary referenceSummary,
        Optional<DeLongResult> deLong) {

    /** The difference of the mean AUCs, arm minus reference. */
    public double difference() {
        return armSummary.mean() - referenceSummary.mean();
    }

    /**
     * The standard error of {@link #difference()}: {@code sqrt(s_x²/n_x + s_y²/n_y)}; NaN when
     * either arm has fewer than two runs, whose spread over seeds is then unknown (not zero).
     */
    public double standardError() {
        if (armSummary.runs() < 2 || referenceSummary.runs() < 2) {
            return Double.NaN;
        }
        return Math.sqrt(
                armSummary.std() * armSummary.std() / armSummary.runs()
                        + referenceSummary.std()
                                * referenceSummary.std()
                                / referenceSummary.runs());
    }

    /**
     * The difference in standard errors (NaN with fewer than two runs an arm, infinite when both
     * arms had no spread).
     */
    public double standardErrors() {
        return difference() / standardError();
    }
}
