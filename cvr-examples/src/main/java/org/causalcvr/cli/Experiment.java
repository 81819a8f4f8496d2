package org.causalcvr.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.Evaluator;
import org.causalcvr.metrics.LabelledScores;

/**
 * Trains estimators over seeds on one training source and evaluates each model on one test source:
 * the engine behind {@code demo}, {@code compare} and {@code sweep}.
 */
final class Experiment {
    static final String BACKEND = "djl";

    /** One configured estimator: a label for tables, its name and its settings. */
    record Arm(String label, String estimator, Map<String, String> settings) {
        Arm {
            settings = Map.copyOf(settings);
        }
    }

    /**
     * The per-row test scores of one model, kept for DeLong's test and the plots: the primary space
     * (CVR on every exposure with drawn labels when the data has ground truth, else CVR on clicked
     * exposures) and, with ground truth, pCVR against true_cvr on every exposure.
     */
    record Scores(LabelledScores primary, Optional<LabelledScores> againstTruth) {}

    /** The space in which runs are ranked and compared. */
    static EvaluationSpace primarySpace(boolean groundTruth) {
        return groundTruth ? EvaluationSpace.CVR_EXPOSURE : EvaluationSpace.CVR_CLICKED;
    }

    /** The outcome of training one arm with one seed. */
    record Run(
            Arm arm,
            long seed,
            EvaluationReport report,
            double trainSeconds,
            Optional<Scores> scores) {}

    private final CvrRuntime runtime;
    private final Map<String, String> backendSettings;
    private final boolean progress;
    private final PrintWriter log;
    private final Optional<ValidationScore> validationScore;
    private final Optional<ExposureSource> validation;

    Experiment(
            CvrRuntime runtime,
            Map<String, String> backendSettings,
            boolean progress,
            PrintWriter log,
            Optional<ExposureSource> validation,
            Optional<ValidationScore> validationScore) {
        this.runtime = runtime;
        this.backendSettings = Map.copyOf(backendSettings);
        this.progress = progress;
        this.log = log;
        this.validation = validation;
        this.validationScore = validationScore;
    }

    /**
     * Trains every arm with every seed and evaluates it on {@code test}. The per-row scores of the
     * first seed are kept when {@code keepScores} is set.
     */
    List<Run> run(
            List<Arm> arms,
            ExposureSource train,
            ExposureSource test,
            List<Long> seeds,
            EvaluationOptions options,
            boolean keepScores) {
        // Fail on a bad estimator name or setting before any training starts.
        for (Arm arm : arms) {
            runtime.estimator(arm.estimator()).create(arm.settings());
        }
        BackendFactory backendFactory = runtime.backend(BACKEND);
        backendFactory.create(withSeed(seeds.get(0))).close();
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
                                backendFactory,
                                arm,
                                seed,
                                train,
                                test,
                                options,
                                keepScores && s == 0,
                                task));
            }
        }
        return runs;
    }

    private Run runOne(
            BackendFactory backendFactory,
            Arm arm,
            long seed,
            ExposureSource train,
            ExposureSource test,
            EvaluationOptions options,
            boolean keepScores,
            String task) {
        Estimator estimator = runtime.estimator(arm.estimator()).create(arm.settings());
        long start = System.nanoTime();
        try (Backend backend = backendFactory.create(withSeed(seed));
                ProgressListener listener = new ProgressListener(task, progress)) {
            var request =
                    new TrainingRequest(
                            estimator,
                            train,
                            validationScore.isPresent() ? validation : Optional.empty(),
                            validationScore,
                            Optional.empty(),
                            listener);
            try (TrainedModel model = backend.train(request)) {
                listener.close();
                double seconds = (System.nanoTime() - start) / 1e9;
                var evaluated = evaluate(model, test, options, keepScores);
                if (!progress) {
                    log.printf(Locale.ROOT, "%s: trained in %.1f s%n", task, seconds);
                    log.flush();
                }
                return new Run(arm, seed, evaluated.report(), seconds, evaluated.scores());
            }
        } catch (CvrException e) {
            throw new RunFailedException(
                    arm.label() + " (seed " + seed + "): " + e.getMessage(), e);
        }
    }

    private Map<String, String> withSeed(long seed) {
        var settings = new LinkedHashMap<>(backendSettings);
        settings.put("seed", Long.toString(seed));
        return settings;
    }

    record Evaluated(EvaluationReport report, Optional<Scores> scores) {}

    /** Streams {@code test} through the model into the evaluator, keeping scores if asked. */
    static Evaluated evaluate(
            TrainedModel model,
            ExposureSource test,
            EvaluationOptions options,
            boolean keepScores) {
        var evaluator = new Evaluator(options);
        test.rowCount().ifPresent(evaluator::expectRows);
        try (BatchCursor cursor = test.open()) {
            while (cursor.next()) {
                ExposureBatch batch = cursor.batch();
                Predictions p = Evaluator.predict(model, batch, test);
                evaluator.add(batch, p);
            }
        }
        EvaluationReport report = evaluator.finish();
        Optional<Scores> scores = Optional.empty();
        if (keepScores) {
            boolean truth = report.hasGroundTruth();
            scores =
                    Optional.of(
                            new Scores(
                                    evaluator.labelledScores(primarySpace(truth)),
                                    truth
                                            ? Optional.of(
                                                    evaluator.labelledScores(
                                                            EvaluationSpace.CVR_EXPOSURE_TRUE))
                                            : Optional.empty()));
        }
        return new Evaluated(report, scores);
    }
}
