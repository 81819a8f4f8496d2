package org.causalcvr.data.arrow;

/**
 * What to do with a row whose conversion is 1 while its click is 0 (impossible in a post-click
 * funnel, but present in raw logs such as Ali-CCP).
 */
public enum ConversionPolicy {
    /** Stop with a {@link org.causalcvr.api.DataException} naming the file, column and row. */
    FAIL,
    /** Leave the row out and count it; the count is reported (reader cursor, conversion report). */
    DROP_AND_COUNT
}
