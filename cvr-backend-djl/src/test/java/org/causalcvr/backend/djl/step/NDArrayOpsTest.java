package org.causalcvr.backend.djl.step;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.backend.djl.TestEstimators;
import org.junit.jupiter.api.Test;

/**
 * The same objective gives the same value on NDArrays as on doubles, and detach stops gradients.
 */
class NDArrayOpsTest {

    @Test
    void anObjectiveHasTheSameValueOnNDArraysAsOnDoubles() {
        System.setProperty("ai.djl.offline", "true");
        var rng = new SplittableRandom(4);
        int n = 200;
        double[] o = new double[n];
        double[] r = new double[n];
        double[][] logits = new double[3][n];
        for (int i = 0; i < n; i++) {
            o[i] = rng.nextDouble() < 0.3 ? 1 : 0;
            r[i] = o[i] == 1 && rng.nextDouble() < 0.4 ? 1 : 0;
            for (int t = 0; t < 3; t++) {
                logits[t][i] = rng.nextGaussian() * 2;
            }
        }
        var dr = new TestEstimators.DrLike();
        LossTerms<double[]> expected =
                dr.loss(
                        DoubleOps.INSTANCE,
                        ObjectiveInput.of(
                                o,
                                r,
                                new TowerOutputs<>(
                                        Map.of(
                                                TowerNames.CTR, logits[0],
                                                TowerNames.CVR, logits[1],
                                                TowerNames.IMPUTATION, logits[2]))));
        try (NDManager m = Engine.getEngine("PyTorch").newBaseManager()) {
            var ops = new NDArrayOps(m);
            LossTerms<NDArray> actual =
                    dr.loss(
                            ops,
                            ObjectiveInput.of(
                                    m.create(toFloat(o)),
                                    m.create(toFloat(r)),
                                    new TowerOutputs<>(
                                            Map.of(
                                                    TowerNames.CTR, m.create(toFloat(logits[0])),
                                                    TowerNames.CVR, m.create(toFloat(logits[1])),
                                                    TowerNames.IMPUTATION,
                                                            m.create(toFloat(logits[2]))))));
            assertThat(ops.value(actual.total()))
                    .isCloseTo(
                            DoubleOps.INSTANCE.value(expected.total()),
                            org.assertj.core.data.Offset.offset(1e-4));
            for (String term : expected.terms().keySet()) {
                assertThat(ops.value(actual.terms().get(term)))
                        .as(term)
                        .isCloseTo(
                                DoubleOps.INSTANCE.value(expected.terms().get(term)),
                                org.assertj.core.data.Offset.offset(1e-4));
            }
            NDArray x = m.create(new float[] {-1, 0.5f, 3});
            assertThat(ops.value(ops.min(x))).isEqualTo(-1);
            assertThat(ops.value(ops.max(x))).isEqualTo(3);
            assertThat(ops.clamp(x, 0, Double.POSITIVE_INFINITY).toFloatArray())
                    .containsExactly(0, 0.5f, 3);
            assertThat(ops.where(m.create(new float[] {1, 0, 2}), x, ops.full(x, 9)).toFloatArray())
                    .containsExactly(-1, 9, 3);
        }
    }

    @Test
    void detachStopsTheGradient() {
        System.setProperty("ai.djl.offline", "true");
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            var ops = new NDArrayOps(m);
            NDArray a = m.create(new float[] {1, 2});
            NDArray b = m.create(new float[] {3, 4});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            try (var gc = engine.newGradientCollector()) {
                NDArray loss = ops.sum(ops.mul(a, ops.detach(b)));
                NDArray loss2 = ops.add(loss, ops.sum(ops.mul(ops.detach(a), b)));
                gc.backward(loss2);
            }
            // d/da = b (through the first product), d/db = a (through the second).
            assertThat(a.getGradient().toFloatArray()).containsExactly(3, 4);
            assertThat(b.getGradient().toFloatArray()).containsExactly(1, 2);
        }
    }

    private static float[] toFloat(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }
}
