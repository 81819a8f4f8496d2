package org.causalcvr.api.backend;

import java.nio.file.Path;

/**
 * Executes estimators: builds their towers, trains them on a schedule, and loads saved models.
 * Created by a {@link BackendFactory}; owns native resources (an engine, a device), so close it,
 * and close the models it returns before it.
 */
public interface Backend extends AutoCloseable {
    /** The registered name, such as {@code djl}. */
    String name();

    /** The device it computes on, in words ({@code cpu}, {@code gpu(0)}). */
    String device();

    /**
     * Trains {@code request.estimator()} and returns the model.
     *
     * @throws org.causalcvr.api.CvrException if a loss becomes NaN or infinite (naming the
     *     estimator, the step and the term) or the data is bad
     */
    TrainedModel train(TrainingRequest request);

    /**
     * Loads a model saved by {@link TrainedModel#save(Path)}.
     *
     * @throws org.causalcvr.api.CvrException if the directory is not a saved model or was saved for
     *     another estimator or schema than it claims
     */
    TrainedModel load(Path directory);

    @Override
    void close();
}
