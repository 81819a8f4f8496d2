package org.causalcvr.backend.djl.checkpoint;

/**
 * Where a training run stands between two steps: the next batch to train is batch {@code batch}
 * (counted from 0) of epoch {@code epoch} of stage {@code stage}.
 *
 * @param globalStep steps taken so far, over all stages
 * @param rowsRead rows read from the data so far (before under-sampling)
 * @param rowsTrained rows trained on so far (after under-sampling)
 * @param bestScore the best validation score so far (NaN: none yet)
 * @param badEpochs epochs since the best score
 * @param earlyStopped whether early stopping has ended training
 */
public record Cursor(
        int stage,
        int epoch,
        long batch,
        long globalStep,
        long rowsRead,
        long rowsTrained,
        double bestScore,
        int badEpochs,
        boolean earlyStopped) {
    /** The start of a run. */
    public static final Cursor START = new Cursor(0, 0, 0, 0, 0, 0, Double.NaN, 0, false);
}
