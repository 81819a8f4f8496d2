package org.causalcvr.metrics;

/**
 * One bin of a calibration table: a point of a reliability diagram.
 *
 * @param lower the smallest prediction the bin may hold (equal width) or holds (equal mass)
 * @param upper the bound above it: exclusive for equal width (but 1 for the last bin), the largest
 *     prediction held for equal mass
 * @param rows rows in the bin
 * @param meanPredicted mean prediction in the bin (NaN if empty)
 * @param observedRate mean label, or mean true probability for soft labels (NaN if empty)
 */
public record CalibrationBin(
        double lower, double upper, long rows, double meanPredicted, double observedRate) {}
