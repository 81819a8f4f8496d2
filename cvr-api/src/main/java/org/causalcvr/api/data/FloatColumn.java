package org.causalcvr.api.data;

/**
 * A read-only column of {@code float} values (ground-truth probabilities, weights), without boxing.
 * Valid only as long as the batch it came from.
 */
public interface FloatColumn {
    int size();

    float getFloat(int row);

    /** Bulk copy; see {@link IntColumn#copyTo(int, int[], int, int)}. */
    default void copyTo(int from, float[] target, int targetOffset, int length) {
        for (int i = 0; i < length; i++) {
            target[targetOffset + i] = getFloat(from + i);
        }
    }
}
