package org.causalcvr.experiments.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.metrics.EvaluationOptions;

/**
 * Trains arms over seeds on one training source with a backend chosen by name, and evaluates each
 * model on one test source. Each run gets a fresh backend whose {@code seed} setting is the run's
 * seed, so runs are independent and reproducible one by one.
 */
public final class ExperimentRunner {
    private final CvrRuntime runtime;
    private final String backend;
    private final Map<String, String> backendSettings;
    private final RunListener listener;
    private final Optional<ExposureSource> validation;
    private final Optional<ValidationScore> validationScore;

    /**
     * @param backend the registered backend name
     * @param backendSettings its settings; {@code seed} is set per run
     * @param validation validation data for early stopping, used only with a {@code
     *     validationScore}
     */
    public ExperimentRunner(
            CvrRuntime runtime,
            String backend,
            Map<String, String> backendSettings,
            RunListener listener,
            Optional<ExposureSource> validation,
            Optional<ValidationScore> validationScore) {
        this.runtime = Objects.requireNonNull(runtime);
        this.backend = Objects.requireNonNull(backend);
        this.backendSettings = Map.copyOf(backendSettings);
        this.listener = Objects.requireNonNull(listener);
        this.validation = validation;
        this.validationScore = validationScore;
    }

    /**
     * Fails on an unknown estimator or backend name or a bad setting of either, without training.
     */
    public void validate(List<Arm> arms, long firstSeed) {
        for (Arm arm : arms) {
            runtime.estimator(arm.estimator()).create(arm.settings());
            runtime.backend(backend).create(settings(arm, firstSeed)).close();
        }
    }

    /**
     * Trains every arm with every seed (arm-major) and evaluates it on {@code test}. The per-row
     * scores of each arm's first seed are kept when {@code keepScores} is set.
     *
     * @throws RunFailedException naming the arm and seed when a run fails after good input
     */
    public List<Run> run(
            List<Arm> arms,
            ExposureSource train,
            ExposureSource test,
            List<Long> seeds,
            EvaluationOptions options,
            boolean keepScores) {
        return run(arms, train, test, seeds, options, keepScores, false);
    }

    /**
     * As {@link #run(List, ExposureSource, ExposureSource, List, EvaluationOptions, boolean)}; with
     * {@code everySeed} the per-row scores of every run are kept, not only of each arm's first seed
     * (a study compares seed with seed and needs them all).
     */
    public List<Run> run(
            List<Arm> arms,
            ExposureSource train,
            ExposureSource test,
            List<Long> seeds,
            EvaluationOptions options,
            boolean keepScores,
            boolean everySeed) {
        if (arms.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("An experiment needs an arm and a seed");
        }
        validate(arms, seeds.get(0));
        BackendFactory factory = runtime.backend(backend);
        DataIdentity trainingData = DataIdentity.of(train);
        var runs = new ArrayList<Run>();
        int total = arms.size() * seeds.size();
        int done = 0;
        for (Arm arm : arms) {
            for (int s = 0; s < seeds.size(); s++) {
                long seed = seeds.get(s);
                done++;
                String task =
                        String.format(
                                Locale.ROOT, "[%d/%d] %s seed %d", done, total, arm.label(), seed);
                runs.add(
                        runOne(
                                factory,
                                arm,
                                seed,
                                train,
                                trainingData,
                                test,
                                options,
                                keepScores && (everySeed || s == 0),
                                task));
            }
        }
        return List.copyOf(runs);
    }

    private Run runOne(
            BackendFactory factory,
            Arm arm,
            long seed,
            ExposureSource train,
            DataIdentity trainingData,
            ExposureSource test,
            EvaluationOptions options,
            boolean keepScores,
            String task) {
        Estimator estimator = runtime.estimator(arm.estimator()).create(arm.settings());
        long start = System.nanoTime();
        TrainingListener progress = TrainingListener.NONE;
        try (Backend engine = factory.create(settings(arm, seed))) {
            progress = listener.started(task);
            var curve = new CurveRecorder(progress);
            progress = curve;
            var request =
                    new TrainingRequest(
                            estimator,
                            train,
                            validationScore.isPresent() ? validation : Optional.empty(),
                            validationScore,
                            Optional.empty(),
                            progress);
            try (TrainedModel model = engine.train(request)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                endProgress(progress);
                listener.finished(task, seconds);
                var evaluated = ModelEvaluation.of(model, test, options, keepScores);
                Optional<String> failure = evaluated.collapse();
                ValidationCurve validated = curve.curve();
                if (failure.isEmpty()
                        && validationScore.isPresent()
                        && validationScore.get().name().toLowerCase(Locale.ROOT).endsWith("auc")
                        && validated.best().orElse(Double.NaN) == 0.5) {
                    failure =
                            Optional.of("validation AUC is exactly 0.5 (the model ranks nothing)");
                }
                return new Run(
                        arm,
                        seed,
                        evaluated.report(),
                        seconds,
                        evaluated.scores(),
                        model.provenance(),
                        trainingData,
                        failure,
                        validated);
            }
        } catch (CvrException e) {
            throw new RunFailedException(
                    arm.label() + " (seed " + seed + "): " + e.getMessage(), e);
        } finally {
            endProgress(progress);
        }
    }

    /**
     * Passes every event on to the listener it wraps (closing it too) and records the validation
     * score after each epoch of the last stage: the curve early stopping kept its epoch from.
     */
    private final class CurveRecorder implements TrainingListener, AutoCloseable {
        private final TrainingListener inner;
        private final List<Double> scores = new ArrayList<>();
        private String stage = "";

        CurveRecorder(TrainingListener inner) {
            this.inner = inner;
        }

        ValidationCurve curve() {
            return validationScore.isEmpty()
                    ? ValidationCurve.NONE
                    : new ValidationCurve(scores, validationScore.get().higherIsBetter());
        }

        @Override
        public void onProgress(org.causalcvr.api.backend.TrainingProgress progress) {
            inner.onProgress(progress);
        }

        @Override
        public void onEpochEnd(String stage, int epoch, double score) {
            if (!stage.equals(this.stage)) {
                // Only the last stage is validated and stopped early: an earlier stage's epochs
                // do not count.
                this.stage = stage;
                scores.clear();
            }
            scores.add(score);
            inner.onEpochEnd(stage, epoch, score);
        }

        @Override
        public void onNote(String line) {
            inner.onNote(line);
        }

        @Override
        public void close() {
            endProgress(inner);
        }
    }

    /** Ends a progress listener that holds a resource (a console bar); idempotent for ours. */
    private static void endProgress(TrainingListener progress) {
        if (progress instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("A progress listener failed to close", e);
            }
        }
    }

    /** The runner's backend settings, then the arm's own, then the run's seed. */
    private Map<String, String> settings(Arm arm, long seed) {
        var settings = new LinkedHashMap<>(backendSettings);
        settings.putAll(arm.backendSettings());
        settings.put("seed", Long.toString(seed));
        return settings;
    }
}
