package org.causalcvr.backend.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants in memory the engine allocates and reference-counts, for operations whose
 * backward pass reads the constant.
 *
 * <p>Why not DJL's {@code NDArray.maximum(Number)}, {@code mul(Number)} and friends: they wrap the
 * number in an array over a Java direct buffer, apply the operation and close that array at once.
 * The autograd graph still holds the scalar tensor (the backward pass of {@code maximum}, {@code
 * minimum}, {@code mul}, {@code div} and {@code pow} reads it), but nothing holds the Java buffer
 * behind it any more, so when the garbage collector frees that buffer before the backward pass, the
 * gradient is computed from whatever the memory holds then. The result depends on when the
 * collector runs: the same seed gave different models on a busy machine. An array made by {@link
 * NDManager#full} lives in the engine's own memory, which the graph keeps alive for as long as it
 * needs it, whether or not the Java handle is closed.
 */
public final class EngineScalars {
    private EngineScalars() {}

    /** A 0-d float32 array of {@code value} in engine memory, owned by {@code manager}. */
    public static NDArray of(NDManager manager, double value) {
        return manager.full(new Shape(), (float) value, DataType.FLOAT32);
    }
}
