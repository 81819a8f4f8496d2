package org.causalcvr.metrics;

/**
 * The rows of one evaluation space as plain arrays, in stream order: what {@link DeLong}, {@link
 * Bootstrap}, {@link RocCurve} and {@link Calibration} take.
 *
 * @param space the space
 * @param scores the space's prediction per row (pCVR, pCTR or pCTR·pCVR)
 * @param labels 0/1 labels per row; null for a soft-label space
 * @param probabilities true probabilities per row for a soft-label space; null otherwise
 */
public record LabelledScores(
        EvaluationSpace space, float[] scores, int[] labels, float[] probabilities) {

    /** Number of rows. */
    public int size() {
        return scores.length;
    }
}
