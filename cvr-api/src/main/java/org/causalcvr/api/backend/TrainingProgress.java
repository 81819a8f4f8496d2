package org.causalcvr.api.backend;

import java.util.Map;

/**
 * A snapshot of training, reported to a {@link TrainingListener}.
 *
 * @param stage the schedule stage being run
 * @param epoch 0-based epoch within the stage
 * @param step global optimisation step
 * @param samples rows consumed so far
 * @param totalSamples rows the run will consume in all, or -1 if unknown
 * @param samplesPerSecond recent throughput
 * @param losses the latest value of each loss term
 */
public record TrainingProgress(
        String stage,
        int epoch,
        long step,
        long samples,
        long totalSamples,
        double samplesPerSecond,
        Map<String, Double> losses) {
    public TrainingProgress {
        losses = Map.copyOf(losses);
    }
}
