package org.causalcvr.experiments.run;

import java.util.Optional;
import org.causalcvr.metrics.LabelledScores;

/**
 * The per-row test scores of one model, kept for DeLong's test and the plots.
 *
 * @param primary pCVR in the primary space: every exposure with drawn labels when the data has
 *     ground truth, else the clicked exposures with their conversion labels
 * @param againstTruth with ground truth, pCVR against {@code true_cvr} on every exposure
 */
public record Scores(LabelledScores primary, Optional<LabelledScores> againstTruth) {}
