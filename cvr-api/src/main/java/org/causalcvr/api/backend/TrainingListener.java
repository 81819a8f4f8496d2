package org.causalcvr.api.backend;

/** Receives training progress (for progress bars and logs). Called on the training thread. */
public interface TrainingListener {
    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};

    /** Called every few steps. */
    default void onProgress(TrainingProgress progress) {}

    /** Called after each epoch's validation, if any. */
    default void onEpochEnd(String stage, int epoch, double validationScore) {}

    /**
     * A one-line note the user should see, such as that training resumed from a checkpoint (and
     * from which step). Called at most a few times per run.
     */
    default void onNote(String line) {}
}
