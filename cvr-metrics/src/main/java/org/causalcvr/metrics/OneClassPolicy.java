package org.causalcvr.metrics;

/**
 * What a rank metric does when its labels hold only one class, so that AUC is undefined.
 *
 * <p>Never a silent 0.5: the caller either gets an error or asks explicitly for {@code NaN}.
 */
public enum OneClassPolicy {
    /** Throw an {@link UndefinedMetricException} naming the class counts. The default. */
    ERROR,
    /** Return {@code Double.NaN}; reports print it as {@code NaN} with the counts beside it. */
    NAN
}
