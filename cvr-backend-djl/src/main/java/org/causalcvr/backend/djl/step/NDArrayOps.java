package org.causalcvr.backend.djl.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.backend.djl.model.EngineScalars;

/**
 * {@link Ops} on DJL {@link NDArray}s with autograd, so that an estimator's objective, written once
 * against {@code Ops}, trains here. Vectors are 1-d float32 arrays of one entry per row; scalars
 * are 0-d arrays. Every array it creates belongs to {@code manager} (in training, the step's scope,
 * closed after the step).
 */
public final class NDArrayOps implements Ops<NDArray> {
    private final NDManager manager;

    /** Operations whose constants are created in {@code manager}. */
    public NDArrayOps(NDManager manager) {
        this.manager = manager;
    }

    @Override
    public NDArray scalar(double value) {
        return EngineScalars.of(manager, value);
    }

    @Override
    public NDArray full(NDArray like, double value) {
        return manager.full(like.getShape(), (float) value, DataType.FLOAT32);
    }

    @Override
    public NDArray add(NDArray a, NDArray b) {
        return a.add(b);
    }

    @Override
    public NDArray sub(NDArray a, NDArray b) {
        return a.sub(b);
    }

    @Override
    public NDArray mul(NDArray a, NDArray b) {
        return a.mul(b);
    }

    @Override
    public NDArray div(NDArray a, NDArray b) {
        return a.div(b);
    }

    @Override
    public NDArray log(NDArray a) {
        return a.log();
    }

    @Override
    public NDArray exp(NDArray a) {
        return a.exp();
    }

    @Override
    public NDArray sigmoid(NDArray a) {
        return ai.djl.nn.Activation.sigmoid(a);
    }

    @Override
    public NDArray abs(NDArray a) {
        return a.abs();
    }

    @Override
    public NDArray clamp(NDArray a, double lo, double hi) {
        boolean hasLo = lo != Double.NEGATIVE_INFINITY;
        boolean hasHi = hi != Double.POSITIVE_INFINITY;
        if (hasLo && hasHi) {
            return a.clip((float) lo, (float) hi);
        }
        // Not a.maximum(float): see EngineScalars for why a bound must live in engine memory.
        if (hasLo) {
            try (NDArray bound = EngineScalars.of(manager, lo)) {
                return a.maximum(bound);
            }
        }
        if (hasHi) {
            try (NDArray bound = EngineScalars.of(manager, hi)) {
                return a.minimum(bound);
            }
        }
        return a.add(0f);
    }

    @Override
    public NDArray where(NDArray condition, NDArray ifTrue, NDArray ifFalse) {
        return NDArrays.where(condition.neq(0f), ifTrue, ifFalse);
    }

    @Override
    public NDArray detach(NDArray a) {
        return a.stopGradient();
    }

    @Override
    public NDArray sum(NDArray a) {
        return a.sum();
    }

    @Override
    public NDArray mean(NDArray a) {
        return a.mean();
    }

    @Override
    public NDArray min(NDArray a) {
        return a.min();
    }

    @Override
    public NDArray max(NDArray a) {
        return a.max();
    }

    @Override
    public int size(NDArray a) {
        return Math.toIntExact(a.size());
    }

    @Override
    public double value(NDArray scalar) {
        if (scalar.size() != 1) {
            throw new IllegalArgumentException(
                    "value() needs a scalar, got shape " + scalar.getShape());
        }
        return scalar.toType(DataType.FLOAT32, false).toFloatArray()[0];
    }
}
