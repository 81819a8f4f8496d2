package org.causalcvr.metrics;

/**
 * DeLong's test of two correlated AUCs measured on the same rows.
 *
 * @param aucA AUC of model A
 * @param aucB AUC of model B
 * @param varianceA DeLong variance of AUC A
 * @param varianceB DeLong variance of AUC B
 * @param covariance DeLong covariance of AUC A and AUC B
 * @param z {@code (aucA − aucB) / sqrt(varianceA + varianceB − 2 covariance)}
 * @param pValue two-sided p-value {@code 2 (1 − Φ(|z|))} of H₀: AUC A = AUC B
 * @param positives rows with label 1
 * @param negatives rows with label 0
 */
public record DeLongResult(
        double aucA,
        double aucB,
        double varianceA,
        double varianceB,
        double covariance,
        double z,
        double pValue,
        long positives,
        long negatives) {

    /** {@code aucA − aucB}. */
    public double difference() {
        return aucA - aucB;
    }

    /** The standard error of the difference. */
    public double standardError() {
        return Math.sqrt(Math.max(0, varianceA + varianceB - 2 * covariance));
    }
}
