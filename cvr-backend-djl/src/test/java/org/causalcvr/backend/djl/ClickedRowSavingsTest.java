package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.junit.jupiter.api.Test;

/**
 * The clicked-row savings change the work, not the result: trained with and without them, an
 * objective that declares its CVR tower {@code CLICKED_ROWS_ONLY} (forward and backward on the
 * clicked rows) and its imputation tower {@code GRADIENT_ON_CLICKED_ROWS_ONLY} (backward on the
 * clicked rows) gives the same losses at every step and the same predictions, to float tolerance.
 */
class ClickedRowSavingsTest {
    private record Run(List<TrainingProgress> progress, Predictions predictions) {}

    private static Run train(Estimator estimator, boolean savings) {
        return train(estimator, savings, "0");
    }

    private static Run train(Estimator estimator, boolean savings, String dropout) {
        InMemoryExposureSource world = SyntheticWorld.small(1500, 21);
        var holdout =
                SyntheticWorld.source(SyntheticWorld.generate(world.schema(), 300, 22), 300, "h");
        var recorder = new DjlBackendTest.Recorder();
        try (var backend =
                        DjlBackendTest.backend(
                                Map.of(
                                        "clicked-row-savings",
                                        Boolean.toString(savings),
                                        "epochs",
                                        "2",
                                        "dropout",
                                        dropout));
                var model =
                        backend.train(
                                new TrainingRequest(
                                        estimator,
                                        world,
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        recorder))) {
            return new Run(recorder.progress, model.predict(holdout.data()));
        }
    }

    @Test
    void savingsOnAndOffGiveTheSameLossesAndPredictions() {
        assertSame(
                train(TestEstimators.multiDrLike(), true),
                train(TestEstimators.multiDrLike(), false));
    }

    @Test
    void withDropoutEachRowDrawsTheMaskOfItsPlaceInTheBatchEitherWay() {
        Run with = train(TestEstimators.multiDrLike(), true, "0.4");
        assertSame(with, train(TestEstimators.multiDrLike(), false, "0.4"));
        // and the masks did change the model
        Run none = train(TestEstimators.multiDrLike(), true, "0");
        double largest = 0;
        for (int i = 0; i < none.predictions().cvr().length; i++) {
            largest =
                    Math.max(
                            largest,
                            Math.abs(none.predictions().cvr()[i] - with.predictions().cvr()[i]));
        }
        assertThat(largest).isGreaterThan(1e-3);
    }

    private static void assertSame(Run with, Run without) {
        assertThat(with.progress()).hasSameSizeAs(without.progress()).hasSizeGreaterThan(10);
        for (int i = 0; i < with.progress().size(); i++) {
            Map<String, Double> a = with.progress().get(i).losses();
            Map<String, Double> b = without.progress().get(i).losses();
            assertThat(a.keySet()).isEqualTo(b.keySet());
            for (String term : a.keySet()) {
                assertThat(a.get(term))
                        .as("step %d, term %s", i + 1, term)
                        .isCloseTo(b.get(term), within(1e-4 * (1 + Math.abs(b.get(term)))));
            }
        }
        float[] cvrWith = with.predictions().cvr();
        float[] cvrWithout = without.predictions().cvr();
        for (int i = 0; i < cvrWith.length; i++) {
            assertThat(cvrWith[i]).isCloseTo(cvrWithout[i], within(1e-4f));
            assertThat(with.predictions().ctr()[i])
                    .isCloseTo(without.predictions().ctr()[i], within(1e-4f));
        }
    }
}
