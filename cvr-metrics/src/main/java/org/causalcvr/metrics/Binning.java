package org.causalcvr.metrics;

/** How {@link Calibration} cuts the predicted-probability axis into bins. */
public enum Binning {
    /**
     * B bins of width 1/B over [0, 1]; bin b holds predictions in [b/B, (b+1)/B), the last one 1.
     */
    EQUAL_WIDTH,
    /**
     * Bins of about n/B rows each, in order of the prediction; rows with equal predictions are
     * never split across bins, so a bin can hold more than n/B rows (and there may be fewer than
     * B).
     */
    EQUAL_MASS
}
