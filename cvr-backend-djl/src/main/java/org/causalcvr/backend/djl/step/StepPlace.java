package org.causalcvr.backend.djl.step;

/**
 * Where a training step stands, for error messages.
 *
 * @param stage the schedule stage's name
 * @param step the stage step's name
 * @param epoch the epoch within the stage, from 0
 * @param globalStep steps taken before this one, over all stages
 */
public record StepPlace(String stage, String step, int epoch, long globalStep) {}
