package org.causalcvr.backend.djl.checkpoint;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.io.OutputLock;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.model.Network;

/**
 * The checkpoint of a training run: {@code <checkpointDirectory>/checkpoint}, a {@link ModelFiles}
 * folder of kind checkpoint holding every parameter, the Adam moments and step counts, and the
 * {@link Cursor}. Written atomically, so a run killed at any moment leaves the previous checkpoint
 * or the new one.
 *
 * <p>A run resumes only from a checkpoint made by the same training: the same estimator and
 * estimator configuration, the same data (schema and fingerprint), seed, network and every backend
 * option that changes the result (learning rate, batch size, epochs, ...). Options that only change
 * how the work is done (threads, prefetching, checkpoint and progress intervals) may differ.
 */
public final class Checkpoints implements AutoCloseable {
    /** The folder inside the checkpoint directory. */
    public static final String FOLDER = "checkpoint";

    /** The parameters of the best validation score so far (a model folder), for early stopping. */
    public static final String BEST = "best";

    /** Backend options that change how the work is done, not its result. */
    private static final List<String> WORK_ONLY =
            List.of(
                    "threads",
                    "interop-threads",
                    "prefetch-batches",
                    "checkpoint-every",
                    "progress-every",
                    "omp-wait-policy");

    private final Path folder;
    private final Path best;
    private final OutputLock lock;
    private boolean staleTempsDeleted;
    private long nanos;

    /**
     * Checkpoints in {@code directory}/{@value #FOLDER}, claimed for this run ({@link OutputLock})
     * until {@link #close}; refuses a folder that is not ours or that another run writes.
     */
    public Checkpoints(Path directory) {
        this.folder = directory.resolve(FOLDER);
        this.best = directory.resolve(BEST);
        AtomicFolders.requireReplaceable(folder, ModelFiles.CHECKPOINT);
        AtomicFolders.requireReplaceable(best, ModelFiles.MODEL);
        this.lock = OutputLock.acquire(folder, "checkpoint folder");
    }

    /** Releases the claim on the folder. */
    @Override
    public void close() {
        lock.close();
    }

    /** The checkpoint folder. */
    public Path folder() {
        return folder;
    }

    /** Whether a checkpoint is there to resume from. */
    public boolean exists() {
        return Files.isRegularFile(folder.resolve(ModelFiles.JSON));
    }

    /** Seconds spent writing checkpoints. */
    public double seconds() {
        return nanos / 1e9;
    }

    /** Replaces the checkpoint with {@code network} at {@code cursor}. */
    public void write(Network network, Provenance provenance, DjlOptions options, Cursor cursor) {
        long t0 = System.nanoTime();
        if (!staleTempsDeleted) {
            AtomicFolders.deleteStaleStaging(folder);
            staleTempsDeleted = true;
        }
        ModelFiles.write(
                folder, network, provenance, options.hashSize(), options.idPolicy(), cursor);
        nanos += System.nanoTime() - t0;
    }

    /**
     * Saves {@code network} as the best so far: written before the checkpoint that records its
     * score, so a resumed run restores the same parameters as an uninterrupted one when it stops
     * early.
     */
    public void writeBest(Network network, Provenance provenance, DjlOptions options) {
        long t0 = System.nanoTime();
        ModelFiles.write(best, network, provenance, options.hashSize(), options.idPolicy(), null);
        nanos += System.nanoTime() - t0;
    }

    /** The best-so-far network of the run being resumed (the caller closes it). */
    public Network readBest(NDManager manager) {
        return ModelFiles.read(best, manager, false).network();
    }

    /**
     * The checkpointed network and cursor, if the checkpoint was made by the training that {@code
     * expected} and {@code architecture} describe.
     *
     * @throws CvrException naming what differs
     */
    public ModelFiles.Contents resume(
            NDManager manager,
            Provenance expected,
            List<Network.TowerArch> architecture,
            DjlOptions options) {
        ModelFiles.Contents c = ModelFiles.read(folder, manager, true);
        String problem = difference(c, expected, architecture);
        if (problem != null) {
            c.network().close();
            throw new CvrException(
                    "Checkpoint "
                            + folder
                            + " was written by another training ("
                            + problem
                            + "); refusing to resume (use another checkpoint folder, or remove"
                            + " this one to start afresh)");
        }
        return c;
    }

    private static String difference(
            ModelFiles.Contents c, Provenance expected, List<Network.TowerArch> architecture) {
        Provenance p = c.provenance();
        if (!p.estimator().equals(expected.estimator())) {
            return "estimator '" + p.estimator() + "', now '" + expected.estimator() + "'";
        }
        String config = mapDifference(p.estimatorConfig(), expected.estimatorConfig(), List.of());
        if (config != null) {
            return "estimator config " + config;
        }
        if (!p.schema().equals(expected.schema())) {
            return "schema '" + p.schema() + "', now '" + expected.schema() + "'";
        }
        if (!p.dataFingerprint().equals(expected.dataFingerprint())) {
            return "training data '"
                    + p.dataFingerprint()
                    + "', now '"
                    + expected.dataFingerprint()
                    + "'";
        }
        String backend = mapDifference(p.backendConfig(), expected.backendConfig(), WORK_ONLY);
        if (backend != null) {
            return "backend option " + backend;
        }
        if (p.seed() != expected.seed()) {
            return "seed " + p.seed() + ", now " + expected.seed();
        }
        if (!c.network().architecture.equals(architecture)) {
            return "towers " + c.network().architecture + ", now " + architecture;
        }
        return null;
    }

    /** The first key (in order) whose value differs, as {@code key: was X, now Y}; or null. */
    private static String mapDifference(
            Map<String, String> was, Map<String, String> now, List<String> ignored) {
        var keys = new TreeSet<String>(was.keySet());
        keys.addAll(now.keySet());
        keys.removeAll(ignored);
        for (String k : keys) {
            String a = was.get(k);
            String b = now.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                return "'"
                        + k
                        + "' was "
                        + (a == null ? "unset" : a)
                        + ", now "
                        + (b == null ? "unset" : b);
            }
        }
        return null;
    }
}
