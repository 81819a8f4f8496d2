package org.causalcvr.backend.djl.step;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.Activation;
import org.causalcvr.backend.djl.model.DenseTower;
import org.junit.jupiter.api.Test;

/**
 * A gradient does not depend on when the garbage collector runs: constants that a backward pass
 * reads (a clamp's bound, PReLU's zero) outlive the Java objects that made them. Between the
 * forward and the backward pass, each case below collects garbage and fills freshly freed native
 * memory with 1e30, which is what a busy machine's collector does by chance; a constant left in
 * freed memory then reads as 1e30 and the gradient comes out wrong.
 */
class ConstantLifetimeTest {

    @Test
    void aLowerClampPassesTheGradientOnlyAboveItsBoundWhateverTheCollectorDoes() {
        float[] grad =
                gradientWithCollectionBeforeBackward(
                        (ops, x) -> ops.clamp(x, 0, Double.POSITIVE_INFINITY),
                        new float[] {-2, -0.5f, 0.5f, 2});
        assertThat(grad).containsExactly(0, 0, 1, 1);
    }

    @Test
    void anUpperClampPassesTheGradientOnlyBelowItsBoundWhateverTheCollectorDoes() {
        float[] grad =
                gradientWithCollectionBeforeBackward(
                        (ops, x) -> ops.clamp(x, Double.NEGATIVE_INFINITY, 0),
                        new float[] {-2, -0.5f, 0.5f, 2});
        assertThat(grad).containsExactly(1, 1, 0, 0);
    }

    @Test
    void aPReluTowerHasTheSameGradientsWhetherOrNotTheCollectorRunsBeforeBackward() {
        System.setProperty("ai.djl.offline", "true");
        Engine engine = Engine.getEngine("PyTorch");
        float[][] calm = preluGradients(engine, false);
        float[][] collected = preluGradients(engine, true);
        for (int i = 0; i < calm.length; i++) {
            assertThat(collected[i]).as("parameter %d", i).containsExactly(calm[i]);
        }
    }

    private interface Op {
        NDArray apply(NDArrayOps ops, NDArray x);
    }

    private static float[] gradientWithCollectionBeforeBackward(Op op, float[] values) {
        System.setProperty("ai.djl.offline", "true");
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            var ops = new NDArrayOps(m);
            NDArray x = m.create(values);
            x.setRequiresGradient(true);
            List<ByteBuffer> poison;
            try (var collector = engine.newGradientCollector()) {
                NDArray loss = ops.sum(op.apply(ops, x));
                poison = collectAndPoisonFreedMemory();
                collector.backward(loss);
            }
            assertThat(poison).isNotEmpty();
            return x.getGradient().toFloatArray();
        }
    }

    private static float[][] preluGradients(Engine engine, boolean collect) {
        try (NDManager m = engine.newBaseManager()) {
            var tower =
                    new DenseTower(
                            "t",
                            "g",
                            6,
                            List.of(5, 3),
                            Activation.PRELU,
                            0,
                            m,
                            new SplittableRandom(11));
            var rng = new SplittableRandom(12);
            float[] input = new float[8 * 6];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) rng.nextGaussian();
            }
            NDArray x = m.create(input, new Shape(8, 6));
            List<ByteBuffer> poison = List.of();
            try (var collector = engine.newGradientCollector()) {
                NDArray loss = tower.forward(x, true).sum();
                if (collect) {
                    poison = collectAndPoisonFreedMemory();
                }
                collector.backward(loss);
            }
            assertThat(poison.isEmpty()).isEqualTo(!collect);
            float[][] grads = new float[tower.params.length][];
            for (int i = 0; i < grads.length; i++) {
                grads[i] = tower.params[i].getGradient().toFloatArray();
            }
            return grads;
        }
    }

    /**
     * Runs the collector (which frees unreachable direct buffers) and then takes many small native
     * blocks, filled with 1e30, so that memory freed by the collection is reused and overwritten.
     * The blocks are returned to keep them alive until the backward pass is done.
     */
    private static List<ByteBuffer> collectAndPoisonFreedMemory() {
        var blocks = new ArrayList<ByteBuffer>();
        for (int round = 0; round < 4; round++) {
            System.gc();
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 5000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
                b.putFloat(0, 1e30f);
                blocks.add(b);
            }
        }
        return blocks;
    }
}
