package org.causalcvr.experiments.run;

import java.util.Optional;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.Evaluator;

/**
 * A model's metrics on a test source, each in its named evaluation space, and optionally the
 * per-row scores behind them.
 *
 * @param report every metric of the model on the test rows
 * @param scores the per-row scores, when they were asked for
 * @param collapse why the model's test pCVR ranks nothing, when it does not: a non-finite
 *     prediction, or predictions spread less than {@link #CONSTANT_SPREAD} (max − min) over every
 *     test row, whose AUC is exactly 0.5 whatever the model learnt
 */
public record ModelEvaluation(
        EvaluationReport report, Optional<Scores> scores, Optional<String> collapse) {
    /**
     * Test pCVRs spread less than this (max − min) count as constant; the same threshold as
     * cvr-metrics' CollapseCheck, which reads the whole array at once where this streams.
     */
    public static final double CONSTANT_SPREAD = 1e-7;

    /** The space in which runs are ranked and compared. */
    public static EvaluationSpace primarySpace(boolean groundTruth) {
        return groundTruth ? EvaluationSpace.CVR_EXPOSURE : EvaluationSpace.CVR_CLICKED;
    }

    /** Streams {@code test} through {@code model} into an evaluator, keeping scores if asked. */
    public static ModelEvaluation of(
            TrainedModel model,
            ExposureSource test,
            EvaluationOptions options,
            boolean keepScores) {
        var evaluator = new Evaluator(options);
        test.rowCount().ifPresent(evaluator::expectRows);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long rows = 0;
        Optional<String> nonFinite = Optional.empty();
        try (BatchCursor cursor = test.open()) {
            while (cursor.next()) {
                ExposureBatch batch = cursor.batch();
                Predictions p = Evaluator.predict(model, batch, test);
                float[] cvr = p.cvr();
                for (int i = 0; i < cvr.length; i++) {
                    if (!Float.isFinite(cvr[i]) && nonFinite.isEmpty()) {
                        nonFinite = Optional.of("test pCVR of row " + (rows + i) + " is " + cvr[i]);
                    }
                    min = Math.min(min, cvr[i]);
                    max = Math.max(max, cvr[i]);
                }
                rows += cvr.length;
                evaluator.add(batch, p);
            }
        }
        Optional<String> collapse = nonFinite;
        if (collapse.isEmpty() && rows > 0 && max - min < CONSTANT_SPREAD) {
            collapse =
                    Optional.of(
                            String.format(
                                    java.util.Locale.ROOT,
                                    "constant predictions: pCVR of all %d test rows in [%.9g, %.9g]",
                                    rows,
                                    min,
                                    max));
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
        return new ModelEvaluation(report, scores, collapse);
    }
}
