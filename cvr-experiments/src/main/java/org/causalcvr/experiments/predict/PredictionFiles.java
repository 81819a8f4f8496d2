package org.causalcvr.experiments.predict;

import java.nio.file.Path;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.metrics.Evaluator;

/**
 * A model's predictions for every row of a source, in cvr-api's {@link
 * org.causalcvr.api.io.PredictionFiles} format (CSV for a name ending in {@code .csv}, else the
 * binary {@code CVRPRED1} format), through {@link TrainedModel#predict} only, so it works for every
 * backend; a batch whose schema is not the model's fails naming the data file.
 */
public final class PredictionFiles {
    private PredictionFiles() {}

    /** Scores {@code source} with {@code model} into {@code output}; returns the rows written. */
    public static long score(TrainedModel model, ExposureSource source, Path output) {
        return org.causalcvr.api.io.PredictionFiles.write(
                source, output, batch -> Evaluator.predict(model, batch, source));
    }

    /** Reads a binary predictions file: {ctr[], cvr[], ctcvr[]}. */
    public static float[][] readBinary(Path file) {
        return org.causalcvr.api.io.PredictionFiles.readBinary(file);
    }
}
