package org.causalcvr.experiments.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.google.inject.AbstractModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.config.DoubleRange;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.paper.PaperEstimatorsModule;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.TinyWorldAccess;
import org.causalcvr.metrics.Auc;
import org.causalcvr.metrics.SpaceValidationScore;
import org.junit.jupiter.api.Test;

/**
 * The study's settings are chosen on each world's validation sample, never its test sample: early
 * stopping keeps the epoch that scores best there, and {@link Study#choose} the value that does.
 * Checked with a fake backend whose model predicts {@code true_cvr} exactly at epoch 2 with
 * learning rate 0.003 (and with 0.002 on seed 1, while 0.002 collapses to a constant on every other
 * seed), and {@code true_cvr} scrambled on the rows of odd items otherwise.
 */
class StudyValidationTest {
    private static final ConfigKey<Long> SEED =
            ConfigKey.ofLong("seed", 1, 0, Long.MAX_VALUE, "the run's seed");
    private static final ConfigKey<Integer> EPOCHS =
            ConfigKey.ofInt("epochs", 1, 1, 100, "epochs at most");
    private static final ConfigKey<Double> LEARNING_RATE =
            ConfigKey.ofDouble("learning-rate", 0.01, DoubleRange.positive(), "step size");

    static final class FakePlugin extends AbstractModule implements CvrPlugin {
        @Override
        protected void configure() {
            CvrBinders.backends(binder()).addBinding("fake").toInstance(new Factory());
        }
    }

    /**
     * Trains "epochs" 1, 2, ... up to its {@code epochs}, scores each on the validation data by the
     * request's score, stops after the first epoch without a better score (patience 1) and returns
     * the best one, as a real backend's early stopping does.
     */
    record Factory() implements BackendFactory {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String description() {
            return "exact at epoch 2 with learning rate 0.003";
        }

        @Override
        public ConfigSchema configSchema() {
            return new ConfigSchema("fake backend", List.of(SEED, EPOCHS, LEARNING_RATE));
        }

        @Override
        public Backend create(Config config) {
            int epochs = config.get(EPOCHS);
            double lr = config.get(LEARNING_RATE);
            long seed = config.get(SEED);
            return new Backend() {
                @Override
                public String name() {
                    return "fake";
                }

                @Override
                public String device() {
                    return "cpu";
                }

                @Override
                public TrainedModel train(TrainingRequest request) {
                    if (request.validationScore().isEmpty()) {
                        return new Model(lr, epochs, seed);
                    }
                    var score = request.validationScore().get();
                    Model best = null;
                    double bestScore = Double.NaN;
                    for (int e = 1; e <= epochs; e++) {
                        var model = new Model(lr, e, seed);
                        double s = score.score(model, request.validation().orElseThrow());
                        request.listener().onEpochEnd("joint", e - 1, s);
                        if (best == null || s > bestScore) {
                            best = model;
                            bestScore = s;
                        } else {
                            break;
                        }
                    }
                    return best;
                }

                @Override
                public TrainedModel load(Path directory) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {}
            };
        }
    }

    record Model(double lr, int epoch, long seed) implements TrainedModel {
        boolean exact() {
            return (lr == 0.003 || (lr == 0.002 && seed == 1)) && epoch == 2;
        }

        boolean collapsed() {
            return lr == 0.002 && seed != 1;
        }

        @Override
        public Provenance provenance() {
            return new Provenance("m", Map.of(), "fake", Map.of(), 1, "none", "tiny", "t", "now");
        }

        @Override
        public Predictions predict(ExposureBatch batch) {
            float[] cvr = new float[batch.size()];
            int item = batch.schema().indexOf("item");
            for (int i = 0; i < cvr.length; i++) {
                float truth = batch.trueCvr().orElseThrow().getFloat(i);
                boolean scrambled = !exact() && batch.feature(item).getInt(i) % 2 == 1;
                cvr[i] =
                        collapsed()
                                ? 0.5f
                                : scrambled
                                        ? (float) (((i * 7919L + epoch * 31) % 101) / 101.0)
                                        : truth;
            }
            return new Predictions(new float[batch.size()], cvr);
        }

        @Override
        public void save(Path directory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    /** A source that counts how often it is read. */
    record Counted(ExposureSource inner, AtomicInteger opened) implements ExposureSource {
        @Override
        public FeatureSchema schema() {
            return inner.schema();
        }

        @Override
        public OptionalLong rowCount() {
            return inner.rowCount();
        }

        @Override
        public BatchCursor open() {
            opened.incrementAndGet();
            return inner.open();
        }

        @Override
        public String fingerprint() {
            return inner.fingerprint();
        }

        @Override
        public String description() {
            return inner.description();
        }
    }

    private static final Object WORLD = TinyWorldAccess.world(7);
    private static final SpaceValidationScore TRUE_AUC =
            SpaceValidationScore.parse("cvr-exposure-true:auc");

    private static Comparison comparison(Map<String, String> backend) {
        return Comparison.of(CvrRuntime.of(List.of(new PaperEstimatorsModule(), new FakePlugin())))
                .estimators("base", "esmm")
                .seeds(1, 2)
                .backend("fake", backend);
    }

    /** Base and Multi-IPW, one seed, on the fake backend with 3 epochs. */
    private static Comparison baseAndMultiIpw(CvrRuntime runtime) {
        return Comparison.of(runtime)
                .estimators("base", "multi-ipw")
                .seeds(1)
                .backend("fake", Map.of("epochs", "3"));
    }

    private static StudyWorld world(ExposureSource test) {
        return new StudyWorld(
                "tiny",
                TinyWorldAccess.rows(WORLD, 0, 2000),
                Optional.of(TinyWorldAccess.rows(WORLD, 3500, 1500)),
                test,
                "");
    }

    private static ExposureSource test() {
        return TinyWorldAccess.rows(WORLD, 2000, 1500);
    }

    private static float[] truth(ExposureSource source) {
        var out = new java.util.ArrayList<Float>();
        try (BatchCursor c = source.open()) {
            while (c.next()) {
                ExposureBatch b = c.batch();
                for (int i = 0; i < b.size(); i++) {
                    out.add(b.trueCvr().orElseThrow().getFloat(i));
                }
            }
        }
        float[] q = new float[out.size()];
        for (int i = 0; i < q.length; i++) {
            q[i] = out.get(i);
        }
        return q;
    }

    @Test
    void earlyStoppingKeepsTheEpochThatScoresBestOnValidation() {
        StudyReport report =
                Study.of(comparison(Map.of("epochs", "5", "learning-rate", "0.003")))
                        .earlyStopping(TRUE_AUC)
                        .world(world(test()))
                        .run();
        float[] q = truth(test());
        for (ArmOutcome arm : report.worlds().get(0).arms()) {
            // epoch 2 is exact, so it is kept; epoch 3 is worse and stops the run
            assertThat(arm.bestEpoch()).containsExactly(2, 2);
            assertThat(arm.epochsTrained()).containsExactly(3, 3);
            assertThat(arm.auc()[0]).isCloseTo(Auc.soft(q, q), offset(1e-9));
            assertThat(arm.choice()).isEmpty();
        }
        assertThat(report.text()).contains("epoch kept").contains("2, 2");
    }

    @Test
    void theChosenValueIsTheOneThatScoresBestOnValidationAndTheTestIsNotReadForIt() {
        var opened = new AtomicInteger();
        StudyReport report =
                Study.of(comparison(Map.of("epochs", "4")))
                        .earlyStopping(TRUE_AUC)
                        .choose("learning-rate", List.of("0.01", "0.003"), 1)
                        .world(world(new Counted(test(), opened)))
                        .run();
        float[] q = truth(TinyWorldAccess.rows(WORLD, 3500, 1500));
        float[] test = truth(test());
        for (ArmOutcome arm : report.worlds().get(0).arms()) {
            SettingChoice choice = arm.choice().orElseThrow();
            assertThat(choice.chosen()).containsExactly(Map.entry("learning-rate", "0.003"));
            assertThat(choice.score()).isEqualTo("cvr-exposure-true:auc");
            assertThat(choice.scoreBySettings().get("learning-rate=0.003"))
                    .isCloseTo(Auc.soft(q, q), offset(1e-9));
            assertThat(choice.scoreBySettings().get("learning-rate=0.01"))
                    .isLessThan(Auc.soft(q, q) - 0.01);
            assertThat(arm.auc()).containsExactly(Auc.soft(test, test), Auc.soft(test, test));
        }
        int withChoice = opened.get();
        opened.set(0);
        Study.of(comparison(Map.of("epochs", "4", "learning-rate", "0.003")))
                .earlyStopping(TRUE_AUC)
                .world(world(new Counted(test(), opened)))
                .run();
        // the choice trained 4 more runs, none of which read the test sample
        assertThat(withChoice).isEqualTo(opened.get());
        assertThat(report.text()).contains("chosen on validation").contains("learning-rate=0.003");
    }

    @Test
    void overSeveralSeedsTheChoiceAveragesThemAndNeverPicksASettingThatFailsOnOne() {
        float[] q = truth(TinyWorldAccess.rows(WORLD, 3500, 1500));
        Study oneSeed =
                Study.of(comparison(Map.of("epochs", "4")))
                        .earlyStopping(TRUE_AUC)
                        .choose("learning-rate", List.of("0.002", "0.003"), 1)
                        .world(world(test()));
        // on seed 1 alone the two rates tie (both exact at epoch 2): the first is chosen
        for (ArmOutcome arm : oneSeed.run().worlds().get(0).arms()) {
            SettingChoice choice = arm.choice().orElseThrow();
            assertThat(choice.chosen()).containsExactly(Map.entry("learning-rate", "0.002"));
            assertThat(choice.seeds()).containsExactly(1L);
        }
        StudyReport report = oneSeed.chooseSeeds(2).run();
        for (ArmOutcome arm : report.worlds().get(0).arms()) {
            SettingChoice choice = arm.choice().orElseThrow();
            assertThat(choice.chosen()).containsExactly(Map.entry("learning-rate", "0.003"));
            assertThat(choice.seeds()).containsExactly(1L, 2L);
            assertThat(choice.scoreBySettings().get("learning-rate=0.002")).isNaN();
            assertThat(choice.scoreBySettings().get("learning-rate=0.003"))
                    .isCloseTo(Auc.soft(q, q), offset(1e-9));
        }
        assertThat(report.markdown(List.of())).contains("mean over seeds [1, 2]");
        @SuppressWarnings("unchecked")
        var worlds = (List<Map<String, Object>>) report.json().get("worlds");
        @SuppressWarnings("unchecked")
        var estimators = (List<Map<String, Object>>) worlds.get(0).get("estimators");
        assertThat(estimators)
                .allSatisfy(
                        e ->
                                assertThat(((Map<?, ?>) e.get("chosenOnValidation")).get("seeds"))
                                        .isEqualTo(List.of(1L, 2L)));
        assertThatThrownBy(() -> oneSeed.chooseSeeds(0))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("at least one seed");
    }

    @Test
    void eachWorldRecordsTheSettingsEveryEstimatorRanWithIncludingTheSharedAndChosenOnes() {
        var runtime = CvrRuntime.of(List.of(new PaperEstimatorsModule(), new FakePlugin()));
        StudyReport report =
                Study.of(
                                baseAndMultiIpw(runtime)
                                        .set(Map.of("max-weight", "20", "ipw-bound-pct", "20")))
                        .earlyStopping(TRUE_AUC)
                        .choose("learning-rate", List.of("0.01", "0.003"), 1, runtime)
                        .world(world(test()))
                        .run();
        var estimators =
                (Map<?, ?>) report.worlds().get(0).comparison().provenance().get("estimators");
        // Exactly, keys in order: the report's bytes must not depend on a map's iteration order.
        assertThat(estimators.get("multi-ipw"))
                .isEqualTo(
                        "multi-ipw {ipw-bound-pct=20, max-weight=20} backend {learning-rate=0.003}");
        assertThat(estimators.get("base").toString())
                .doesNotContain("ipw-bound-pct")
                .doesNotContain("max-weight")
                .contains("learning-rate=0.003");
    }

    @Test
    void anEstimatorSettingIsTriedOnlyForTheEstimatorsThatDeclareItInEveryCombination() {
        var runtime = CvrRuntime.of(List.of(new PaperEstimatorsModule(), new FakePlugin()));
        StudyReport report =
                Study.of(baseAndMultiIpw(runtime))
                        .earlyStopping(TRUE_AUC)
                        .choose("learning-rate", List.of("0.01", "0.003"), 1, runtime)
                        .choose("ipw-bound", List.of("0.01", "0.05"), 1, runtime)
                        .world(world(test()))
                        .run();
        var w = report.worlds().get(0);
        assertThat(w.arm("base").orElseThrow().choice().orElseThrow().scoreBySettings())
                .containsOnlyKeys("learning-rate=0.01", "learning-rate=0.003");
        SettingChoice ipw = w.arm("multi-ipw").orElseThrow().choice().orElseThrow();
        assertThat(ipw.scoreBySettings())
                .containsOnlyKeys(
                        "learning-rate=0.01, ipw-bound=0.01",
                        "learning-rate=0.01, ipw-bound=0.05",
                        "learning-rate=0.003, ipw-bound=0.01",
                        "learning-rate=0.003, ipw-bound=0.05");
        // the fake model ignores ipw-bound: the first of the best combinations is chosen
        assertThat(ipw.chosen())
                .containsExactly(
                        Map.entry("learning-rate", "0.003"), Map.entry("ipw-bound", "0.01"));
        assertThatThrownBy(
                        () ->
                                Study.of(comparison(Map.of()))
                                        .choose("no-such-key", List.of("1"), 1, runtime))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'no-such-key'");
    }

    @Test
    void aStudyThatStopsEarlyNeedsAValidationSampleAndAChoiceNeedsEarlyStopping() {
        var noValidation = new StudyWorld("bare", TinyWorldAccess.rows(WORLD, 0, 500), test(), "");
        assertThatThrownBy(
                        () ->
                                Study.of(comparison(Map.of()))
                                        .earlyStopping(TRUE_AUC)
                                        .world(noValidation)
                                        .validate())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'bare' has no validation sample");
        assertThatThrownBy(
                        () ->
                                Study.of(comparison(Map.of()))
                                        .choose("learning-rate", List.of("0.01"), 1)
                                        .world(world(test()))
                                        .validate())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("early-stopping score");
    }

    @Test
    void theKeptEpochIsTheFirstBestScore() {
        assertThat(curve(true, 0.6, 0.7, 0.7, 0.5).keptEpoch()).isEqualTo(2);
        assertThat(curve(true, 0.6, 0.7, 0.7, 0.5).best()).hasValue(0.7);
        assertThat(curve(false, 0.6, 0.7, 0.5).keptEpoch()).isEqualTo(3);
        assertThat(curve(true, Double.NaN, 0.4).keptEpoch()).isEqualTo(2);
        assertThat(curve(true, Double.NaN, 0.4).epochs()).isEqualTo(2);
        assertThat(org.causalcvr.experiments.run.ValidationCurve.NONE.keptEpoch()).isZero();
        assertThat(org.causalcvr.experiments.run.ValidationCurve.NONE.best()).isEmpty();
    }

    private static org.causalcvr.experiments.run.ValidationCurve curve(
            boolean higherIsBetter, Double... scores) {
        return new org.causalcvr.experiments.run.ValidationCurve(List.of(scores), higherIsBetter);
    }
}
