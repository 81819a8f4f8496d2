package org.causalcvr.experiments.run;

import org.causalcvr.api.backend.TrainingListener;

/**
 * Observes the runs of an experiment, one training run at a time, for progress bars and logs.
 * Called on the thread that runs the experiment.
 */
public interface RunListener {
    /** Observes nothing. */
    RunListener SILENT = new RunListener() {};

    /**
     * A run starts; the returned listener receives its training progress. If it is {@link
     * AutoCloseable} (a console progress bar), it is closed when training ends, successfully or
     * not, and may be closed more than once.
     *
     * @param task a label such as {@code [2/6] multi-dr seed 2}
     */
    default TrainingListener started(String task) {
        return TrainingListener.NONE;
    }

    /** The run's training ended after {@code seconds}; evaluation follows. */
    default void finished(String task, double seconds) {}
}
