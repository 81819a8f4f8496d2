package org.causalcvr.api.data;

/**
 * Streams the batches of an {@link ExposureSource} in order, holding one batch in memory at a time.
 * Not thread-safe; close it (try-with-resources) to release its memory.
 *
 * <pre>{@code
 * try (BatchCursor cursor = source.open()) {
 *     while (cursor.next()) {
 *         ExposureBatch batch = cursor.batch(); // valid until the next call to next()
 *     }
 * }
 * }</pre>
 */
public interface BatchCursor extends AutoCloseable {
    /** Advances to the next batch; false at the end. Invalidates the previous batch. */
    boolean next();

    /** The current batch; only valid after {@link #next()} returned true. */
    ExposureBatch batch();

    /** Releases the cursor's resources; the last batch becomes invalid. Never throws checked. */
    @Override
    void close();
}
