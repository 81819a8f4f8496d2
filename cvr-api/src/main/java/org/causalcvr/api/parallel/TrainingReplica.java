package org.causalcvr.api.parallel;

import java.nio.file.Path;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.ExposureSource;

/**
 * One copy of a training in progress (a worker's, or the driver's merged one), which runs batches
 * from its current state, reports what they changed and takes a merged state back.
 *
 * <p>A worker's data is a stream per schedule stage: its epochs one after the other, epoch e
 * shuffled with a seed derived from ({@code dataSeed}, stage, e), each cut into {@link
 * #batchesPerEpoch} batches; {@link #train} runs a range of that stream. Running the ranges [0, K),
 * [K, 2K), ... in turn gives the same batches as one run over the stream, whether or not the
 * replica was rebuilt from a checkpoint in between (it then skips to the range's start).
 *
 * <p>Not thread-safe; one replica is used by one task at a time.
 */
public interface TrainingReplica extends AutoCloseable {
    /** Stages of the estimator's schedule. */
    int stages();

    /** Batches of one epoch over {@code rows} rows (the backend's batch size). */
    long batchesPerEpoch(long rows);

    /** Epochs per stage. */
    int epochs();

    /**
     * Trains batches {@code [from, from + count)} of stage {@code stage}'s stream over {@code rows}
     * (clipped to the stream's end) and returns the state it reached: every dense value, and the
     * embedding rows this call touched with their touch counts.
     *
     * @param dataSeed the seed of this worker's shuffling (distinct per worker)
     */
    ReplicaUpdate train(ExposureSource rows, int stage, long from, long count, long dataSeed);

    /**
     * Takes a merged state: every dense value and step count from {@code merged}, and each of its
     * rows overwritten (rows it does not name keep their values).
     */
    void apply(ReplicaUpdate merged);

    /**
     * Writes the whole state (with optimiser state) and {@code cursor} to {@code folder},
     * atomically.
     */
    void checkpoint(Path folder, RoundCursor cursor);

    /**
     * Where the checkpoint this replica was built from stood ({@link RoundCursor#START} if none).
     */
    RoundCursor cursor();

    /** A model of the current parameters (valid until this replica next changes or closes). */
    TrainedModel model();

    @Override
    void close();
}
