package org.causalcvr.backend.djl.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.DataException;
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
import org.causalcvr.backend.djl.model.Network;
import org.junit.jupiter.api.Test;

/**
 * The data's estimated propensity (column {@code propensity}) travels from a batch through the
 * shuffle window into the objective's input, row for row; data without it fails naming the data.
 */
class DataPropensityStepTest {
    private static final int ROWS = 16;

    /** Reports the mean of the data's propensity; trains on the mean logit of tower {@code lin}. */
    static final class MeanDataPropensity implements Objective {
        @Override
        public String name() {
            return "mean-data-propensity";
        }

        @Override
        public Set<String> towers() {
            return Set.of("lin");
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            T p =
                    in.propensity()
                            .orElseThrow(() -> new DataException("column 'propensity': missing"));
            T mean = ops.mean(in.outputs().get("lin"));
            var terms = new LinkedHashMap<String, T>();
            terms.put("mean", mean);
            terms.put("p", ops.mean(p));
            terms.put("p-clicked", ops.sum(ops.mul(p, in.clicks())));
            return new LossTerms<>(mean, terms);
        }
    }

    private static ArrayExposureBatch withPropensities(ArrayExposureBatch d, float[] p) {
        return new ArrayExposureBatch(
                d.schema(),
                d.clickLabels(),
                d.conversionLabels(),
                d.singleValued(),
                d.multiValued(),
                d.groupIds(),
                d.truePropensities(),
                d.trueCvrs(),
                d.denseValues(),
                p);
    }

    @Test
    void theStepReadsThePickedRowsOfTheColumn() {
        FeatureSchema schema = SyntheticWorld.schema(new int[] {40, 12, 5}, false, false);
        ArrayExposureBatch plain = SyntheticWorld.generate(schema, ROWS, 3);
        float[] p = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            p[i] = (i + 1) / 32f;
        }
        var layout = new FieldLayout(schema, 0, DjlOptions.IdPolicy.HASH);
        try (DjlBackend engineUp = DjlBackendTest.backend(Map.of());
                NDManager root = Engine.getEngine(DjlBackend.ENGINE).newBaseManager();
                var net =
                        new Network(
                                schema,
                                layout,
                                3,
                                11,
                                0.01,
                                List.of(
                                        new Network.TowerArch(
                                                "lin", "g", List.of(), Activation.RELU, 0.0)),
                                root)) {
            var window = new RowWindow(layout, ROWS, false);
            window.append(withPropensities(plain, p), 0, ROWS, 0, "data.arrow");
            // a copy of the window keeps the column (the pipeline's spare window)
            var copy = new RowWindow(layout, ROWS, false);
            int[] all = new int[ROWS];
            for (int i = 0; i < ROWS; i++) {
                all[i] = i;
            }
            copy.copyRows(window, all, ROWS);
            int[] picks = {13, 2, 7, 0, 9, 15, 4, 11};
            var batch = new HostBatch(schema.size(), 0);
            copy.fill(batch, picks, picks.length);
            double expected = 0;
            double clicked = 0;
            for (int i = 0; i < picks.length; i++) {
                assertThat(batch.propensity[i]).isEqualTo(p[picks[i]]);
                expected += p[picks[i]] / picks.length;
                clicked += p[picks[i]] * plain.clickLabels()[picks[i]];
            }
            var runner =
                    new TrainingStepRunner(
                            net,
                            Engine.getEngine(DjlBackend.ENGINE),
                            0.01,
                            new ClickedRowPlanner(true),
                            "test",
                            "");
            var step = new TrainingStep("s", new MeanDataPropensity(), Set.of("lin"));
            Map<String, Double> values = runner.step(batch, step, new StepPlace("st", "s", 0, 0));
            // (14 + 3 + 8 + 1 + 10 + 16 + 5 + 12) / 32 / 8 = 69 / 256
            assertThat(expected).isCloseTo(69.0 / 256, within(1e-12));
            assertThat(values.get("p")).isCloseTo(69.0 / 256, within(1e-6));
            // row by row with the clicks of the same rows: Σ o·p̂ over the batch
            assertThat(values.get("p-clicked")).isCloseTo(clicked, within(1e-6));

            // the same rows without the column: the objective's error names the data
            var bare = new RowWindow(layout, ROWS, false);
            bare.append(plain, 0, ROWS, 0, "bare.arrow");
            var noColumn = new HostBatch(schema.size(), 0);
            bare.fill(noColumn, picks, picks.length);
            assertThat(noColumn.propensity).isNull();
            assertThatThrownBy(() -> runner.step(noColumn, step, new StepPlace("st", "s", 0, 1)))
                    .isInstanceOf(DataException.class)
                    .hasMessage("bare.arrow, column 'propensity': missing");
        }
    }
}
