package org.causalcvr.backend.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reused native-order direct buffers from which a training step's input arrays are made without a
 * further copy: on the CPU, PyTorch's engine wraps a direct buffer as the tensor's memory ({@code
 * from_blob}), whereas an array made from a Java array gets a fresh direct buffer each time (about
 * 0.8 MB per step at batch 1024 with the embedding rows), freed only by a later garbage collection.
 *
 * <p>Each array made between two {@link #begin()} calls takes the next buffer in turn, grown when
 * too small, so a step that makes its arrays in the same order reuses the same buffers. An array
 * aliases its buffer: it must be closed before the next {@link #begin()} (the step's manager closes
 * every array of the step). One instance per training run, used by one thread.
 */
public final class InputStaging {
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private int next;

    /** Starts a step: the following arrays reuse the buffers from the first. */
    public void begin() {
        next = 0;
    }

    /** A float32 array of shape {@code shape} holding {@code values[0..count)}. */
    public NDArray floats(NDManager manager, float[] values, int count, Shape shape) {
        ByteBuffer b = take(4 * count);
        b.asFloatBuffer().put(values, 0, count);
        return manager.create(b, shape, DataType.FLOAT32);
    }

    /** An int32 array of shape {@code shape} holding {@code values[0..count)}. */
    public NDArray ints(NDManager manager, int[] values, int count, Shape shape) {
        ByteBuffer b = take(4 * count);
        b.asIntBuffer().put(values, 0, count);
        return manager.create(b, shape, DataType.INT32);
    }

    /** The next buffer, at least {@code bytes} long, positioned at 0 with limit {@code bytes}. */
    private ByteBuffer take(int bytes) {
        if (next == buffers.size()) {
            buffers.add(null);
        }
        ByteBuffer b = buffers.get(next);
        if (b == null || b.capacity() < bytes) {
            int capacity = Math.max(bytes, b == null ? 0 : b.capacity() + b.capacity() / 2);
            b = ByteBuffer.allocateDirect(Math.max(capacity, 64)).order(ByteOrder.nativeOrder());
            buffers.set(next, b);
        }
        next++;
        b.clear().limit(bytes);
        return b.slice().order(ByteOrder.nativeOrder());
    }
}
