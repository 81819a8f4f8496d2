package org.causalcvr.api.data;

/**
 * A read-only column of {@code int} values (labels, ids), one per row of a batch, without boxing.
 *
 * <p>Views over native memory are valid only as long as the batch they came from; copy what you
 * need to keep.
 */
public interface IntColumn {
    /** Number of values. */
    int size();

    /** The value at {@code row}, {@code 0 <= row < size()}. */
    int getInt(int row);

    /**
     * Copies {@code length} values starting at {@code from} into {@code target} at {@code
     * targetOffset}. Implementations override this with a bulk copy where their storage allows.
     */
    default void copyTo(int from, int[] target, int targetOffset, int length) {
        for (int i = 0; i < length; i++) {
            target[targetOffset + i] = getInt(from + i);
        }
    }
}
