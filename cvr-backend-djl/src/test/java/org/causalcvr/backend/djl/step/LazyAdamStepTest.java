package org.causalcvr.backend.djl.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.estimator.Activation;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.backend.djl.DjlBackend;
import org.causalcvr.backend.djl.DjlBackendTest;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.SyntheticWorld;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.causalcvr.backend.djl.data.HostBatch;
import org.causalcvr.backend.djl.data.RowWindow;
import org.causalcvr.backend.djl.embedding.EmbeddingTable;
import org.causalcvr.backend.djl.model.Network;
import org.junit.jupiter.api.Test;

/**
 * A backend step moves the embedding rows of its batch exactly as lazy Adam, computed here by hand,
 * says, and no other row. The tower is one linear layer and the loss its mean logit, so the
 * gradient of embedding row r is (count of r in the batch / n) times the layer's weights for r's
 * field: known without autograd.
 */
class LazyAdamStepTest {
    private static final double LR = 0.01;
    private static final int DIM = 3;
    private static final int ROWS = 64;

    /** The mean logit of tower {@code lin}. */
    static final class MeanLogit implements Objective {
        @Override
        public String name() {
            return "mean-logit";
        }

        @Override
        public Set<String> towers() {
            return Set.of("lin");
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            return LossTerms.single("mean", ops.mean(in.outputs().get("lin")));
        }
    }

    @Test
    void twoStepsMoveTheTouchedRowsAsLazyAdamAndNoOtherRow() {
        twoSteps(1.0, 0, 0, 1.0, 0);
    }

    /**
     * With {@code gradient-clip-norm} c below the step's joint gradient norm ‖g‖ (the tower's
     * weights and bias and every gathered row, all known here), each row moves as lazy Adam on
     * g·c/‖g‖. Adam divides the scale out of m/√v except for its ε, so the bound here is small
     * enough (10⁻⁹, gradients of about 10⁻¹⁰) that ε decides the step: a clip that rescaled only
     * the tower's gradients, or none, would move every row about 100 times as far.
     */
    @Test
    void aClippedStepMovesTheRowsAsLazyAdamOnTheGradientRescaledToTheBound() {
        twoSteps(1.0, 0, 0, 1.0, 0, 1e-9);
    }

    /**
     * With a learning-rate decay d, a step of epoch e moves with LR·d^e: the second step, in epoch
     * 2, moves a quarter as far as lazy Adam at LR would (d = 0.5), and the moments are unchanged.
     */
    @Test
    void aStepOfEpochEMovesWithTheLearningRateTimesTheDecayToTheE() {
        twoSteps(0.5, 0, 2, 1.0, 0);
    }

    /**
     * With a step size annealed to a share e of itself over the stage, a step at stage progress f
     * moves with LR·(1 − (1 − e)·f): the first step (f = 0) at LR, the second, batch 3 of a stage
     * of 4 (f = 3/4) with e = 0.2, at LR·0.4; the decay per epoch multiplies on top.
     */
    @Test
    void aStepThreeQuartersThroughAStageAnnealedToAFifthMovesWithFourTenthsOfTheRate() {
        twoSteps(1.0, 0, 0, 0.2, 3);
        twoSteps(0.5, 0, 1, 0.2, 3);
    }

    private static void twoSteps(
            double decay, int firstEpoch, int secondEpoch, double end, long secondBatch) {
        twoSteps(decay, firstEpoch, secondEpoch, end, secondBatch, 0.0);
    }

    private static void twoSteps(
            double decay,
            int firstEpoch,
            int secondEpoch,
            double end,
            long secondBatch,
            double clipNorm) {
        long[] batchInStage = {0, secondBatch};
        int[] epochs = {firstEpoch, secondEpoch};
        FeatureSchema schema = SyntheticWorld.schema(new int[] {40, 12, 5}, false, false);
        ArrayExposureBatch data = SyntheticWorld.generate(schema, ROWS, 3);
        var layout = new FieldLayout(schema, 0, DjlOptions.IdPolicy.HASH);
        int fields = schema.size();
        int total = layout.totalRows();
        // Rows of each (field, batch row), and how often each table row occurs.
        int[] count = new int[total];
        int[] fieldOf = new int[total];
        for (int f = 0; f < fields; f++) {
            int[] ids = data.singleValued()[f];
            for (int i = 0; i < ROWS; i++) {
                int r = layout.row(f, ids[i], "t", i);
                count[r]++;
                fieldOf[r] = f;
            }
        }
        try (DjlBackend engineUp = DjlBackendTest.backend(Map.of());
                NDManager root = Engine.getEngine(DjlBackend.ENGINE).newBaseManager();
                var net =
                        new Network(
                                schema,
                                layout,
                                DIM,
                                11,
                                0.01,
                                List.of(
                                        new Network.TowerArch(
                                                "lin", "g", List.of(), Activation.RELU, 0.0)),
                                root)) {
            var window = new RowWindow(layout, ROWS, false);
            window.append(data, 0, ROWS, 0, "test");
            var batch = new HostBatch(fields, 0);
            int[] picks = new int[ROWS];
            for (int i = 0; i < ROWS; i++) {
                picks[i] = i;
            }
            window.fill(batch, picks, ROWS);
            var runner =
                    new TrainingStepRunner(
                            net,
                            Engine.getEngine(DjlBackend.ENGINE),
                            new StepSizeSchedule(LR, decay, end, 0.0),
                            0.0,
                            new GradientNormClip(clipNorm),
                            null,
                            new ClickedRowPlanner(true),
                            "test",
                            "");
            var step = new TrainingStep("s", new MeanLogit(), Set.of("lin"));
            EmbeddingTable table = net.tables.get("g");
            float[] w = all(table, total);
            double[] m = new double[total * DIM];
            double[] v = new double[total * DIM];
            for (int t = 1; t <= 2; t++) {
                float[] weights = net.towers.get("lin").params[0].toFloatArray();
                runner.step(
                        batch,
                        step,
                        new StepPlace("stage", "s", epochs[t - 1], t - 1, batchInStage[t - 1], 4));
                double lr =
                        LR
                                * Math.pow(decay, epochs[t - 1])
                                * (1 - (1 - end) * batchInStage[t - 1] / 4.0);
                float[] after = all(table, total);
                // The joint norm: d(mean logit)/d(bias) = 1; d/dW of input column f·DIM + k is
                // the mean over the batch of that embedding coordinate; each gathered row's
                // gradient is its count / n times the weights of its field.
                double squares = 1;
                double[] meanInput = new double[fields * DIM];
                for (int r = 0; r < total; r++) {
                    for (int k = 0; k < DIM; k++) {
                        double g = (double) count[r] / ROWS * weights[fieldOf[r] * DIM + k];
                        squares += g * g;
                        meanInput[fieldOf[r] * DIM + k] +=
                                (double) count[r] / ROWS * w[r * DIM + k];
                    }
                }
                for (double x : meanInput) {
                    squares += x * x;
                }
                double norm = Math.sqrt(squares);
                double scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1.0;
                for (int r = 0; r < total; r++) {
                    for (int k = 0; k < DIM; k++) {
                        int at = r * DIM + k;
                        if (count[r] == 0) {
                            assertThat(after[at]).as("untouched row %d", r).isEqualTo(w[at]);
                            continue;
                        }
                        double g = scale * count[r] / ROWS * weights[fieldOf[r] * DIM + k];
                        m[at] = 0.9 * m[at] + 0.1 * g;
                        v[at] = 0.999 * v[at] + 0.001 * g * g;
                        double mHat = m[at] / (1 - Math.pow(0.9, t));
                        double vHat = v[at] / (1 - Math.pow(0.999, t));
                        double expected = w[at] - lr * mHat / (Math.sqrt(vHat) + 1e-8);
                        assertThat((double) after[at])
                                .as("row %d, column %d, step %d", r, k, t)
                                .isCloseTo(expected, within(2e-6));
                    }
                }
                w = after;
            }
            assertThat(table.steps()).isEqualTo(2);
        }
    }

    private static float[] all(EmbeddingTable table, int rows) {
        int[] ids = new int[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
        }
        float[] out = new float[rows * DIM];
        table.gather(ids, rows, out);
        return out;
    }
}
