package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.convert.CoatConverter;
import org.causalcvr.metrics.Auc;
import org.causalcvr.metrics.CollapseCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base on Coat with preset {@code small}, 5 epochs, seed 3: with ReLU towers its CVR tower's last
 * hidden layer died on every row (all 8 units off on all 4640 test rows) and it predicted one
 * constant, AUC exactly 0.5. The preset's towers now use PReLU, whose units pass a gradient on both
 * sides and cannot die.
 */
class CoatNoCollapseTest {
    @TempDir Path dir;

    @Test
    void baseWithTheSmallPresetLearnsOnCoatWithTheSeedThatCollapsed() {
        CvrRuntime runtime = CvrRuntime.load();
        try (Allocators memory = Allocators.create()) {
            var converted =
                    CoatConverter.convert(
                            ConvertCommand.defaultCoat(),
                            dir,
                            new CoatConverter.Options(
                                    4, CoatConverter.Protocol.MNAR_TRAIN_MCAR_TEST, 1),
                            memory.root());
            ExposureSource train = DataFiles.open(converted.train(), memory);
            ExposureSource test = DataFiles.open(converted.test(), memory);
            var base = runtime.estimator("base").create(Map.of());
            try (Backend backend =
                            runtime.backend("djl")
                                    .create(
                                            Map.of(
                                                    "preset", "small",
                                                    "epochs", "5",
                                                    "seed", "3"));
                    TrainedModel model =
                            backend.train(
                                    new TrainingRequest(
                                            base,
                                            train,
                                            Optional.empty(),
                                            Optional.empty(),
                                            Optional.empty(),
                                            TrainingListener.NONE))) {
                var data = test.open();
                assertThat(data.next()).isTrue();
                var batch = data.batch();
                int n = batch.size();
                Predictions p = model.predict(batch);
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = batch.conversions().getInt(i);
                }
                assertThat(data.next()).as("the test set is one batch").isFalse();
                data.close();
                assertThat(n).isEqualTo(4640);
                assertThat(CollapseCheck.check(p.cvr()).failed()).isFalse();
                assertThat(Auc.compute(p.cvr(), labels)).isGreaterThan(0.7);
            }
        }
    }
}
