package org.causalcvr.api.backend;

import java.nio.file.Path;
import org.causalcvr.api.data.ExposureBatch;

/**
 * A trained estimator that predicts pCTR, pCVR and pCTCVR for any exposure. Holds native resources:
 * close it (try-with-resources).
 */
public interface TrainedModel extends AutoCloseable {
    /** How the model was made. */
    Provenance provenance();

    /** Probabilities for every row of {@code batch}, which must have the training schema. */
    Predictions predict(ExposureBatch batch);

    /** pCTR per row. */
    default float[] predictCtr(ExposureBatch batch) {
        return predict(batch).ctr();
    }

    /** pCVR per row, on the whole exposure space. */
    default float[] predictCvr(ExposureBatch batch) {
        return predict(batch).cvr();
    }

    /** pCTCVR = pCTR · pCVR per row. */
    default float[] predictCtcvr(ExposureBatch batch) {
        return predict(batch).ctcvr();
    }

    /**
     * What training this model cost, as the backend measured it, for benchmarks: for example {@code
     * rowsTrainedShare} (rows the steps trained on over rows read) and {@code batchWaitShare} (the
     * share of training time spent waiting for input). Keys are backend specific; empty for a
     * loaded model and by default.
     */
    default java.util.Map<String, Double> trainingStatistics() {
        return java.util.Map.of();
    }

    /**
     * Saves the parameters and provenance to {@code directory}, atomically: the directory either
     * holds the complete previous model or the complete new one.
     */
    void save(Path directory);

    @Override
    void close();
}
