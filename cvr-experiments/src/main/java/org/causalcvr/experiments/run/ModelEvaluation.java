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
 */
public record ModelEvaluation(EvaluationReport report, Optional<Scores> scores) {

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
        return new ModelEvaluation(report, scores);
    }
}
