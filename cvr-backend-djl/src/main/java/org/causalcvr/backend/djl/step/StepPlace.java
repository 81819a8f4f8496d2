package org.causalcvr.backend.djl.step;

/**
 * Where a training step stands: for error messages, and for a step size that changes within a stage
 * ({@link StepSizeSchedule}).
 *
 * @param stage the schedule stage's name
 * @param step the stage step's name
 * @param epoch the epoch within the stage, from 0
 * @param globalStep steps taken before this one, over all stages
 * @param batchInStage the batch's index within its stage over all the stage's epochs, from 0
 *     (batches the under-sampling leaves empty count too). A function of where the batch stands in
 *     the data alone, so that a run resumed from a checkpoint steps exactly as an uninterrupted one
 * @param batchesInStage the stage's batches over all its epochs (0: unknown, for data of unknown
 *     row count)
 */
public record StepPlace(
        String stage,
        String step,
        int epoch,
        long globalStep,
        long batchInStage,
        long batchesInStage) {

    public StepPlace {
        if (batchesInStage < 0
                || batchInStage < 0
                || (batchesInStage > 0 && batchInStage >= batchesInStage)) {
            throw new IllegalArgumentException(
                    "batch " + batchInStage + " of a stage of " + batchesInStage + " batches");
        }
    }

    /** A place in a stage of unknown length (a step size constant within the stage). */
    public StepPlace(String stage, String step, int epoch, long globalStep) {
        this(stage, step, epoch, globalStep, 0, 0);
    }

    /**
     * The share of the stage's batches before this one, in [0, 1) (0 when its length is unknown).
     */
    public double stageProgress() {
        return batchesInStage == 0 ? 0.0 : (double) batchInStage / batchesInStage;
    }
}
