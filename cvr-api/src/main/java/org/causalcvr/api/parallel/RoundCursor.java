package org.causalcvr.api.parallel;

/**
 * Where a data-parallel training stands between two rounds: the next round to run is round {@code
 * round} (from 0) of schedule stage {@code stage}.
 *
 * @param rowsTrained rows trained so far, over all workers
 */
public record RoundCursor(int stage, long round, long rowsTrained) {
    /** The start of a training. */
    public static final RoundCursor START = new RoundCursor(0, 0, 0);
}
