package org.causalcvr.api.data;

/** A read-only column of {@code long} values (group ids). Valid only as long as its batch. */
public interface LongColumn {
    int size();

    long getLong(int row);

    /** Bulk copy; see {@link IntColumn#copyTo(int, int[], int, int)}. */
    default void copyTo(int from, long[] target, int targetOffset, int length) {
        for (int i = 0; i < length; i++) {
            target[targetOffset + i] = getLong(from + i);
        }
    }
}
