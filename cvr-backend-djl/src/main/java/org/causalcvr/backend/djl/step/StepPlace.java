package org.causalcvr.backend.djl.step;

/**
 * Where a training step stands: for error messages, and for the step size of a schedule that
 * changes within a stage.
 *
 * @param stage the schedule stage's name
 * @param step the stage step's name
 * @param epoch the epoch within the stage, from 0
 * @param globalStep steps taken before this one, over all stages
 * @param stageProgress the share of the stage's batches (over all its epochs) before this one, in
 *     [0, 1): 0 at the stage's first batch, (B − 1)/B at its last of B. A function of the batch's
 *     index alone, so that a run resumed from a checkpoint steps exactly as an uninterrupted one
 */
public record StepPlace(
        String stage, String step, int epoch, long globalStep, double stageProgress) {

    public StepPlace {
        if (!(stageProgress >= 0 && stageProgress < 1)) {
            throw new IllegalArgumentException(
                    "stage progress must be in [0, 1): " + stageProgress);
        }
    }

    /** A place whose stage progress does not matter (a constant step size within the stage). */
    public StepPlace(String stage, String step, int epoch, long globalStep) {
        this(stage, step, epoch, globalStep, 0.0);
    }

    /**
     * The stage progress of batch {@code batchInStage} (from 0) of a stage of {@code
     * batchesInStage} batches.
     */
    public static double progress(long batchInStage, long batchesInStage) {
        return batchesInStage <= 0 ? 0.0 : (double) batchInStage / batchesInStage;
    }
}
