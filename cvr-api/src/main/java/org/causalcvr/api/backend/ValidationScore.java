package org.causalcvr.api.backend;

import org.causalcvr.api.data.ExposureSource;

/**
 * A named metric a backend computes on validation data after each epoch, for early stopping.
 * Supplied by the caller (the metrics module lives outside the backend).
 */
public interface ValidationScore {
    /** The metric's name, such as {@code cvr-auc-clicked}. */
    String name();

    /** Whether larger values are better (AUC) or smaller (log loss). */
    boolean higherIsBetter();

    /** The metric of {@code model} on {@code data}. */
    double score(TrainedModel model, ExposureSource data);
}
