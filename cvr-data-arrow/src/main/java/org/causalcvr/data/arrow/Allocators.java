package org.causalcvr.data.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.causalcvr.api.DataException;

/**
 * The one {@link RootAllocator} of a program, and the child allocators handed to readers, writers
 * and cursors.
 *
 * <p>Create it once at start-up (the CLI's {@code main}) and close it last:
 *
 * <pre>{@code
 * try (Allocators memory = Allocators.create()) {
 *     ExposureSource source = ArrowExposureSource.file(path, memory);
 *     ...
 * }
 * }</pre>
 *
 * Every cursor and writer takes a child of {@link #root()} and closes it with itself, so when this
 * object is closed every Arrow buffer must have been released: a leak makes {@link #close()} throw,
 * which turns every test that closes its allocator into a leak test.
 */
public final class Allocators implements AutoCloseable {
    private final RootAllocator root;

    private Allocators(long limitBytes) {
        this.root = new RootAllocator(limitBytes);
    }

    /** A root without a limit beyond the JVM's direct-memory settings. */
    public static Allocators create() {
        return new Allocators(Long.MAX_VALUE);
    }

    /** A root that refuses to hold more than {@code limitBytes} of Arrow memory at once. */
    public static Allocators withLimit(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limitBytes must be positive, got " + limitBytes);
        }
        return new Allocators(limitBytes);
    }

    /** The root allocator; prefer {@link #child(String)} for anything that is later closed. */
    public BufferAllocator root() {
        return root;
    }

    /** A new child allocator; the caller closes it. */
    public BufferAllocator child(String name) {
        return root.newChildAllocator(name, 0, Long.MAX_VALUE);
    }

    /** Bytes currently allocated under the root. */
    public long allocatedBytes() {
        return root.getAllocatedMemory();
    }

    /** The most bytes ever allocated at once under the root. */
    public long peakBytes() {
        return root.getPeakMemoryAllocation();
    }

    /**
     * Closes the root.
     *
     * @throws DataException if Arrow memory is still held (a cursor or writer was not closed)
     */
    @Override
    public void close() {
        try {
            root.close();
        } catch (IllegalStateException e) {
            throw new DataException(
                    "Arrow memory leak: "
                            + root.getAllocatedMemory()
                            + " bytes still allocated at close ("
                            + oneLine(e.getMessage())
                            + ")",
                    e);
        }
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        String flat = message.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
