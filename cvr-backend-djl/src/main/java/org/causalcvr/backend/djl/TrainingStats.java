package org.causalcvr.backend.djl;

/**
 * What a training run cost.
 *
 * @param steps optimisation steps taken (in this process; a resumed run counts from its checkpoint)
 * @param rowsRead rows read from the training data, before under-sampling
 * @param rowsTrained rows the steps trained on, after under-sampling
 * @param trainSeconds wall time of the training loop (without validation and checkpoints)
 * @param batchWaitSeconds time the loop waited for the input pipeline's next batch
 * @param checkpointSeconds time spent writing checkpoints
 * @param clippedSteps steps whose gradients {@code gradient-clip-norm} rescaled (0 without it)
 * @param largestGradientNorm the largest joint gradient norm of a step before clipping (NaN without
 *     {@code gradient-clip-norm}, which is what computes it)
 */
public record TrainingStats(
        long steps,
        long rowsRead,
        long rowsTrained,
        double trainSeconds,
        double batchWaitSeconds,
        double checkpointSeconds,
        long clippedSteps,
        double largestGradientNorm) {
    /** Rows read per second of training. */
    public double samplesPerSecond() {
        return trainSeconds > 0 ? rowsRead / trainSeconds : 0;
    }

    /** Mean wall time of one step, in milliseconds. */
    public double millisPerStep() {
        return steps > 0 ? 1000 * trainSeconds / steps : 0;
    }

    /** The share of training time spent waiting for batches. */
    public double waitShare() {
        return trainSeconds > 0 ? batchWaitSeconds / trainSeconds : 0;
    }

    /** The share of steps whose gradients were clipped. */
    public double clippedShare() {
        return steps > 0 ? (double) clippedSteps / steps : 0;
    }

    /** Whether the run clipped its gradients' norm (and so measured it). */
    public boolean clipped() {
        return !Double.isNaN(largestGradientNorm);
    }

    static final TrainingStats NONE = new TrainingStats(0, 0, 0, 0, 0, 0, 0, Double.NaN);
}
