package org.causalcvr.backend.djl.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.backend.djl.DjlBackendFactory;
import org.causalcvr.backend.djl.DjlBackendTest;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.SyntheticWorld;
import org.causalcvr.backend.djl.TestEstimators;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints change how the work is done, never its result: the same seed gives the same {@code
 * params.bin} bytes with and without checkpoints, and a run killed at any step and resumed ends
 * with the bytes of the uninterrupted run.
 */
class CheckpointDeterminismTest {
    private static InMemoryExposureSource world;

    @BeforeAll
    static void world() {
        world = SyntheticWorld.small(2000, 5);
    }

    private static Estimator multiDr() {
        CvrRuntime runtime = CvrRuntime.load();
        Assumptions.assumeTrue(
                runtime.estimatorNames().contains("multi-dr"),
                "cvr-estimators is not on the class path");
        return runtime.estimator("multi-dr").create(Map.of());
    }

    private static Map<String, String> settings(Map<String, String> extra) {
        var s = new HashMap<String, String>();
        s.putAll(
                Map.of(
                        "preset", "small",
                        "threads", "1",
                        "progress-every", "1",
                        "shuffle-rows", "1000",
                        "epochs", "3",
                        "seed", "5"));
        s.putAll(extra);
        return s;
    }

    /** Trains and saves; returns the saved params.bin. */
    private static byte[] train(
            Path model, Optional<Path> checkpoints, Map<String, String> extra, TrainingListener l) {
        try (var backend =
                        new DjlBackendFactory().create(DjlOptions.SCHEMA.resolve(settings(extra)));
                var trained =
                        backend.train(
                                new TrainingRequest(
                                        multiDr(),
                                        world,
                                        Optional.empty(),
                                        Optional.empty(),
                                        checkpoints,
                                        l))) {
            trained.save(model);
        }
        try {
            return Files.readAllBytes(model.resolve(ModelFiles.PARAMS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void checkpointsDoNotChangeTheModel(@TempDir Path dir) {
        byte[] plain =
                train(dir.resolve("plain"), Optional.empty(), Map.of(), TrainingListener.NONE);
        byte[] epochEnds =
                train(
                        dir.resolve("a"),
                        Optional.of(dir.resolve("ck-a")),
                        Map.of(),
                        TrainingListener.NONE);
        byte[] every7 =
                train(
                        dir.resolve("b"),
                        Optional.of(dir.resolve("ck-b")),
                        Map.of("checkpoint-every", "7"),
                        TrainingListener.NONE);
        assertThat(epochEnds).isEqualTo(plain);
        assertThat(every7).isEqualTo(plain);
    }

    @Test
    void withDropoutTheMasksSurviveAKillAndAResume(@TempDir Path dir) {
        changesTheModelAndSurvivesAKillAndAResume(dir, Map.of("dropout", "0.3"), 8);
    }

    /** The step size of a resumed epoch is the decayed one: killed in epoch 2 of 3. */
    @Test
    void withALearningRateDecayTheStepSizesSurviveAKillAndAResume(@TempDir Path dir) {
        changesTheModelAndSurvivesAKillAndAResume(dir, Map.of("learning-rate-decay", "0.3"), 12);
    }

    /**
     * The annealed step size of a resumed run is the one of its place in the stage: killed in the
     * middle of epoch 2 of 3, part-way through a batch window.
     */
    @Test
    void withAStepSizeAnnealedOverTheStageTheStepSizesSurviveAKillAndAResume(@TempDir Path dir) {
        changesTheModelAndSurvivesAKillAndAResume(dir, Map.of("learning-rate-end", "0.1"), 8);
    }

    /** Killed after the warm-up, whose share of the stage a resumed run must count the same. */
    @Test
    void withAWarmUpTheStepSizesSurviveAKillAndAResume(@TempDir Path dir) {
        changesTheModelAndSurvivesAKillAndAResume(dir, Map.of("learning-rate-warmup", "0.3"), 7);
    }

    /**
     * Weighting instead of drawing the unclicked rows (Multi-DR's λ = 1.5) is another model, the
     * same bytes again, and survives a kill and a resume: its batches are every row, in the seeded
     * order, whatever the checkpoint.
     */
    @Test
    void weightingTheUnclickedRowsSurvivesAKillAndAResume(@TempDir Path dir) {
        changesTheModelAndSurvivesAKillAndAResume(dir, Map.of("unclicked-sampling", "weight"), 8);
    }

    /**
     * A gradient bound that binds is another model, the same bytes again, and survives a kill and a
     * resume: the clip keeps no state, and the norm is summed in a fixed order.
     */
    @Test
    void aBindingGradientClipSurvivesAKillAndAResume(@TempDir Path dir) {
        changesTheModelAndSurvivesAKillAndAResume(dir, Map.of("gradient-clip-norm", "0.01"), 8);
    }

    /**
     * A step size that changes within a stage needs the stage's length; data that does not know its
     * row count (a stream) is refused with one line naming the keys and the data, before a step.
     */
    @Test
    void aStepSizeScheduleWithinTheStageRefusesDataOfUnknownLength() {
        ExposureSource stream =
                new ExposureSource() {
                    @Override
                    public FeatureSchema schema() {
                        return world.schema();
                    }

                    @Override
                    public OptionalLong rowCount() {
                        return OptionalLong.empty();
                    }

                    @Override
                    public BatchCursor open() {
                        return world.open();
                    }

                    @Override
                    public String fingerprint() {
                        return world.fingerprint();
                    }

                    @Override
                    public String description() {
                        return "a stream";
                    }
                };
        for (String key : List.of("learning-rate-end", "learning-rate-warmup")) {
            try (var backend =
                    new DjlBackendFactory()
                            .create(DjlOptions.SCHEMA.resolve(settings(Map.of(key, "0.5"))))) {
                assertThatThrownBy(
                                () ->
                                        backend.train(
                                                new TrainingRequest(
                                                        multiDr(),
                                                        stream,
                                                        Optional.empty(),
                                                        Optional.empty(),
                                                        Optional.empty(),
                                                        TrainingListener.NONE)))
                        .isInstanceOf(ConfigException.class)
                        .hasMessageContaining("'learning-rate-end' and 'learning-rate-warmup'")
                        .hasMessageContaining("a stream has none");
            }
        }
    }

    private static void changesTheModelAndSurvivesAKillAndAResume(
            Path dir, Map<String, String> setting, int killAt) {
        byte[] plain =
                train(dir.resolve("plain"), Optional.empty(), Map.of(), TrainingListener.NONE);
        byte[] uninterrupted =
                train(dir.resolve("set"), Optional.empty(), setting, TrainingListener.NONE);
        // the setting changes the model, and the same seed gives the same bytes again
        assertThat(uninterrupted).isNotEqualTo(plain);
        assertThat(train(dir.resolve("again"), Optional.empty(), setting, TrainingListener.NONE))
                .isEqualTo(uninterrupted);
        Map<String, String> every3 = new HashMap<>(setting);
        every3.put("checkpoint-every", "3");
        Path ck = dir.resolve("ck");
        assertThatThrownBy(
                        () ->
                                train(
                                        dir.resolve("killed"),
                                        Optional.of(ck),
                                        every3,
                                        new DjlBackendTest.KillAt(killAt)))
                .hasMessageContaining("killed at step " + killAt);
        byte[] resumed =
                train(dir.resolve("resumed"), Optional.of(ck), every3, TrainingListener.NONE);
        assertThat(resumed).isEqualTo(uninterrupted);
    }

    @Test
    void aRunKilledAtAnyStepAndResumedEndsWithTheSameBytes(@TempDir Path dir) {
        byte[] uninterrupted =
                train(dir.resolve("plain"), Optional.empty(), Map.of(), TrainingListener.NONE);
        var random = new java.util.Random(17);
        for (int t = 0; t < 3; t++) {
            int trial = t;
            // Steps of this world and batch size: about 3 epochs of 5 under-sampled batches.
            long k = 2 + random.nextInt(12);
            Path ck = dir.resolve("ck-" + trial);
            Map<String, String> every3 = Map.of("checkpoint-every", "3");
            assertThatThrownBy(
                            () ->
                                    train(
                                            dir.resolve("killed-" + trial),
                                            Optional.of(ck),
                                            every3,
                                            new DjlBackendTest.KillAt(k)))
                    .hasMessageContaining("killed at step " + k);
            byte[] resumed =
                    train(
                            dir.resolve("resumed-" + trial),
                            Optional.of(ck),
                            every3,
                            TrainingListener.NONE);
            assertThat(resumed).as("killed at step %d", k).isEqualTo(uninterrupted);
        }
    }

    @Test
    void theOrderOfAnObjectivesTowerSetDoesNotChangeTheModel(@TempDir Path dir) {
        // Set.of iterates in another order in every JVM; the model must not follow it.
        Estimator forward = withTowerOrder(List.of("ctr", "cvr", "imputation"));
        Estimator backward = withTowerOrder(List.of("imputation", "cvr", "ctr"));
        assertThat(trainWith(forward, dir.resolve("f")))
                .isEqualTo(trainWith(backward, dir.resolve("b")));
    }

    private static Estimator withTowerOrder(List<String> order) {
        Estimator e = TestEstimators.multiDrLike();
        Objective inner = e.schedule().mainObjective();
        Objective ordered =
                new Objective() {
                    @Override
                    public String name() {
                        return inner.name();
                    }

                    @Override
                    public Set<String> towers() {
                        return new LinkedHashSet<>(order);
                    }

                    @Override
                    public TowerRowUse rowUse(String tower) {
                        return inner.rowUse(tower);
                    }

                    @Override
                    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
                        return inner.loss(ops, input);
                    }
                };
        return TestEstimators.joint(
                "ordered",
                ordered,
                e.towers().stream().map(t -> (TowerSpec) t).toList(),
                OptionalDouble.empty());
    }

    private static byte[] trainWith(Estimator estimator, Path model) {
        try (var backend =
                        new DjlBackendFactory()
                                .create(DjlOptions.SCHEMA.resolve(settings(Map.of())));
                var trained = backend.train(TrainingRequest.of(estimator, world))) {
            trained.save(model);
            return Files.readAllBytes(model.resolve(ModelFiles.PARAMS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean pCTR on the training data, higher is better: best at the first epoch, for ESMM. */
    private static final ValidationScore MEAN_CTR =
            new ValidationScore() {
                @Override
                public String name() {
                    return "mean-ctr";
                }

                @Override
                public boolean higherIsBetter() {
                    return true;
                }

                @Override
                public double score(TrainedModel model, ExposureSource data) {
                    double sum = 0;
                    for (float p : model.predict(world.data()).ctr()) {
                        sum += p;
                    }
                    return sum / world.data().size();
                }
            };

    private static byte[] trainEarlyStopping(Path model, Path checkpoints, TrainingListener l) {
        try (var backend =
                        new DjlBackendFactory()
                                .create(
                                        DjlOptions.SCHEMA.resolve(
                                                settings(
                                                        Map.of(
                                                                "epochs", "6",
                                                                "patience", "2",
                                                                "checkpoint-every", "2"))));
                var trained =
                        backend.train(
                                new TrainingRequest(
                                        TestEstimators.esmmLike(),
                                        world,
                                        Optional.of(world),
                                        Optional.of(MEAN_CTR),
                                        Optional.of(checkpoints),
                                        l))) {
            trained.save(model);
            return Files.readAllBytes(model.resolve(ModelFiles.PARAMS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aResumedRunThatStopsEarlyRestoresTheSameBestParameters(@TempDir Path dir) {
        var scores = new java.util.ArrayList<Double>();
        TrainingListener record =
                new TrainingListener() {
                    @Override
                    public void onEpochEnd(String stage, int epoch, double score) {
                        scores.add(score);
                    }
                };
        byte[] uninterrupted = trainEarlyStopping(dir.resolve("plain"), dir.resolve("ck0"), record);
        // Best at epoch 0, then two worse epochs: stopped after epoch 2, epoch 0 restored.
        assertThat(scores).hasSize(3);
        assertThat(scores.get(0)).isGreaterThan(scores.get(1)).isGreaterThan(scores.get(2));
        // Killed in epoch 2 (8 steps per epoch), after the best epoch and its snapshot.
        Path ck = dir.resolve("ck");
        assertThatThrownBy(
                        () ->
                                trainEarlyStopping(
                                        dir.resolve("killed"), ck, new DjlBackendTest.KillAt(20)))
                .hasMessageContaining("killed at step 20");
        byte[] resumed = trainEarlyStopping(dir.resolve("resumed"), ck, TrainingListener.NONE);
        assertThat(resumed).isEqualTo(uninterrupted);
    }
}
