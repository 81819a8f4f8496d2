package org.causalcvr.experiments.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.TinyWorldAccess;
import org.causalcvr.experiments.config.SettingsFile;
import org.causalcvr.experiments.run.RunListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tuner on a tiny world: it ranks on validation data, beats a deliberately bad learning rate,
 * is deterministic for a seed, and its settings file runs in a comparison with the chosen values.
 */
class TunerTest {
    private static final CvrRuntime RUNTIME = CvrRuntime.load();
    private static final Object WORLD = TinyWorldAccess.world(11);
    private static final ExposureSource TRAIN = TinyWorldAccess.rows(WORLD, 0, 6000);
    private static final ExposureSource VALID = TinyWorldAccess.rows(WORLD, 6000, 3000);

    @TempDir Path tmp;

    private static Tuner.Result tune(List<String> space, int trials) {
        return new Tuner(RUNTIME, "djl", Map.of("preset", "small"), RunListener.SILENT)
                .tune(
                        new Tuner.Request(
                                "base",
                                Map.of(),
                                SearchSpace.parse(space),
                                TRAIN,
                                VALID,
                                Optional.empty(),
                                trials,
                                1,
                                2,
                                2,
                                5,
                                1,
                                List.of()));
    }

    @Test
    void findsALearningRateBetterThanADeliberatelyBadOne() {
        Tuner.Result bad = tune(List.of("learning-rate=choice(1e-7)"), 1);
        Tuner.Result searched = tune(List.of("learning-rate=loguniform(1e-3,3e-2)"), 4);

        assertThat(searched.score()).isGreaterThan(bad.score() + 0.02);
        double lr = Double.parseDouble(searched.chosen().get("learning-rate"));
        assertThat(lr).isBetween(1e-3, 3e-2);
        // 4 trials at 1 epoch, the best 2 at 2 epochs: successive halving with eta 2.
        assertThat(searched.trials()).hasSize(6);
        assertThat(searched.trials().stream().filter(t -> t.rung() == 1))
                .allMatch(t -> t.epochs() == 2);
        // The winner is a finalist (a trial of the last rung) at the rung where it scored best.
        var finalists =
                searched.trials().stream().filter(t -> t.rung() == 1).map(t -> t.trial()).toList();
        Tuner.Trial best =
                searched.trials().stream()
                        .filter(t -> finalists.contains(t.trial()))
                        .max(java.util.Comparator.comparingDouble(Tuner.Trial::score))
                        .orElseThrow();
        assertThat(searched.score()).isEqualTo(best.score());
        assertThat(searched.chosen())
                .containsEntry("epochs", Integer.toString(best.epochs()))
                .containsEntry("preset", "small")
                .containsEntry("learning-rate", best.settings().get("learning-rate"));
        assertThat(searched.metric()).contains("on tiny world 11, rows [6000, 9000)");

        // Deterministic for a seed: the same request gives the same draws, scores and choice.
        Tuner.Result again = tune(List.of("learning-rate=loguniform(1e-3,3e-2)"), 4);
        assertThat(again.chosen()).isEqualTo(searched.chosen());
        assertThat(again.trials()).isEqualTo(searched.trials());
    }

    @Test
    void aTrialOfSeveralSeedsScoresTheMeanOfTheirValidationAucs() {
        var space =
                SearchSpace.parse(
                        List.of(
                                "learning-rate=choice(0.01)",
                                "embedding-l2=choice(1e-6)",
                                "embedding-dim=choice(4)"));
        var tuner = new Tuner(RUNTIME, "djl", Map.of("preset", "small"), RunListener.SILENT);
        java.util.function.BiFunction<Long, Integer, Tuner.Result> tune =
                (seed, seeds) ->
                        tuner.tune(
                                new Tuner.Request(
                                        "base",
                                        Map.of(),
                                        space,
                                        TRAIN,
                                        VALID,
                                        Optional.empty(),
                                        1,
                                        1,
                                        1,
                                        2,
                                        seed,
                                        seeds,
                                        List.of()));
        double five = tune.apply(5L, 1).score();
        double six = tune.apply(6L, 1).score();
        Tuner.Result both = tune.apply(5L, 2);

        assertThat(five).isNotEqualTo(six);
        assertThat(both.score())
                .isCloseTo((five + six) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(both.metric()).endsWith("(mean of 2 seeds)");
        // The chosen settings keep the order of the space, so a settings file has stable bytes.
        assertThat(both.chosen().keySet())
                .containsExactly(
                        "preset", "learning-rate", "embedding-l2", "embedding-dim", "epochs");
        assertThat(both.trials().get(0).settings().keySet())
                .containsExactly("learning-rate", "embedding-l2", "embedding-dim");
        assertThatThrownBy(() -> tune.apply(5L, 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--seeds = 0");
    }

    /**
     * With two folds, a trial trains on each fold's training rows and scores the mean of its
     * validation AUCs on each fold's validation rows: exactly the mean of the two one-fold scores.
     */
    @Test
    void aTrialOfTwoFoldsScoresTheMeanOfItsScoreOnEachFold() {
        var space = SearchSpace.parse(List.of("learning-rate=choice(0.01)"));
        var tuner = new Tuner(RUNTIME, "djl", Map.of("preset", "small"), RunListener.SILENT);
        ExposureSource trainB = TinyWorldAccess.rows(WORLD, 3000, 6000);
        ExposureSource validB = TinyWorldAccess.rows(WORLD, 0, 3000);
        java.util.function.Function<List<Tuner.Fold>, Tuner.Result> tune =
                folds ->
                        tuner.tune(
                                new Tuner.Request(
                                        "base",
                                        Map.of(),
                                        space,
                                        folds.get(0).train(),
                                        folds.get(0).validation(),
                                        Optional.empty(),
                                        1,
                                        1,
                                        1,
                                        2,
                                        5,
                                        1,
                                        folds.subList(1, folds.size())));
        var a = new Tuner.Fold(TRAIN, VALID);
        var b = new Tuner.Fold(trainB, validB);
        double onA = tune.apply(List.of(a)).score();
        double onB = tune.apply(List.of(b)).score();
        Tuner.Result both = tune.apply(List.of(a, b));

        assertThat(onA).isNotEqualTo(onB);
        assertThat(both.score())
                .isCloseTo((onA + onB) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(both.metric())
                .contains("rows [6000, 9000) and tiny world 11, rows [0, 3000)")
                .endsWith("(mean of 2 folds)");
    }

    @Test
    void theSettingsFileRoundTripsIntoAComparison() {
        var chosen = Map.of("preset", "small", "learning-rate", "0.00417", "epochs", "2");
        Path file = tmp.resolve("tuned/tiny.json");
        SettingsFile.empty().with("base", chosen, true, "by hand for the test").write(file);
        SettingsFile read = SettingsFile.read(file);
        assertThat(read.of("base")).contains(chosen);
        assertThat(read.tuned()).isTrue();

        var routed =
                read.route(
                        "base",
                        RUNTIME.estimator("base").configSchema(),
                        RUNTIME.backend("djl").configSchema(),
                        Set.of("epochs"), // given explicitly: the file's value is left out
                        file.toString());
        assertThat(routed.backend()).containsOnlyKeys("preset", "learning-rate");
        var report =
                Comparison.of(RUNTIME)
                        .backend("djl", Map.of("epochs", "1"))
                        .arm("base", "base", routed.estimator(), routed.backend())
                        .train(TRAIN)
                        .test(VALID)
                        .run();
        var config = report.runs().get(0).provenance().backendConfig();
        assertThat(Double.parseDouble(config.get("learning-rate"))).isEqualTo(0.00417);
        assertThat(config).containsEntry("epochs", "1").containsEntry("preset", "small");
    }

    @Test
    void aSpaceKeyThatNeitherDeclaresIsRefusedBeforeTraining() {
        assertThatThrownBy(() -> tune(List.of("learning-rat=loguniform(1e-3,1e-2)"), 2))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("learning-rat");
        assertThatThrownBy(() -> SearchSpace.parse(List.of("learning-rate=uniform(1,2)")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown kind 'uniform'");
    }

    @Test
    void theDefaultSpaceFollowsTheSchemas() {
        var space =
                SearchSpace.defaultFor(
                        RUNTIME.estimator("multi-dr").configSchema(),
                        RUNTIME.backend("djl").configSchema());
        var keys = space.dimensions().stream().map(Dimension::key).toList();
        assertThat(keys).contains("learning-rate", "embedding-dim", "imputation-l2");
        var base =
                SearchSpace.defaultFor(
                        RUNTIME.estimator("base").configSchema(),
                        RUNTIME.backend("djl").configSchema());
        assertThat(base.dimensions().stream().map(Dimension::key))
                .doesNotContain("imputation-l2", "ipw-bound-pct");
    }
}
