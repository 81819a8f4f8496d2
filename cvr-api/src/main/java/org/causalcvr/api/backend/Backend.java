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
     * Fails unless a model can be saved at {@code directory} by {@link TrainedModel#save(Path)}:
     * nothing is there, an empty folder, or a model this backend saved (which saving replaces).
     * Call it before training, so a run never ends unable to save. The default accepts only a path
     * where nothing exists.
     *
     * @throws org.causalcvr.api.CvrException naming the path and what is there
     */
    default void requireSavable(Path directory) {
        if (java.nio.file.Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new org.causalcvr.api.CvrException(
                    directory + " exists; choose another path for the model or remove it yourself");
        }
    }

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
