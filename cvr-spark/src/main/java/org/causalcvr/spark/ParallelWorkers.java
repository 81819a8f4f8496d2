package org.causalcvr.spark;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Row;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.parallel.DataParallelBackend;
import org.causalcvr.api.parallel.ReplicaUpdate;
import org.causalcvr.api.parallel.RoundCursor;
import org.causalcvr.api.parallel.TrainingReplica;
import org.causalcvr.api.plugin.CvrRuntime;

/**
 * The executor side of {@link DataParallelTraining}: one round of one worker, and the workers an
 * executor JVM keeps between rounds.
 *
 * <p>A worker keeps its replica and its rows (its partition, read once) between rounds. At the
 * start of round g it is in step with the driver when it finished round g − 1 itself: it then
 * applies the merge of round g − 1 (the broadcast delta) and holds exactly the driver's state.
 * Otherwise (first round, a new executor, or a retried round whose earlier attempt left the replica
 * half-trained) it rebuilds its replica from the driver's checkpoint, which holds the same state.
 * Either way the round starts from the merged state, so a retried round computes what the first
 * attempt would have.
 */
final class ParallelWorkers {
    private ParallelWorkers() {}

    /** What every worker of a round needs (broadcast once per executor). */
    record RoundPlan(
            String runId,
            int stage,
            long round,
            long globalRound,
            long from,
            long count,
            ReplicaUpdate delta,
            String checkpoint,
            String estimator,
            Map<String, String> estimatorSettings,
            String backend,
            Map<String, String> backendSettings,
            String schemaText,
            LogColumns columns,
            String fingerprint,
            String description,
            long seed,
            long failRound,
            int failWorker)
            implements Serializable {}

    /** One worker's round: its index, its update and how long training took. */
    record WorkerResult(int worker, ReplicaUpdate update, long trainNanos)
            implements Serializable {}

    /** A worker's state in this JVM. */
    private static final class Worker {
        Backend backend;
        Estimator estimator;
        TrainingReplica replica;
        ExposureSource rows;

        /** The global round this replica finished itself, or −1 (must rebuild). */
        long finished = -1;

        void close() {
            if (replica != null) {
                replica.close();
            }
            if (backend != null) {
                backend.close();
            }
        }
    }

    private static final Map<String, Worker> WORKERS = new ConcurrentHashMap<>();

    /** Runs {@code plan}'s round on the task's partition {@code rows}. */
    static WorkerResult round(RoundPlan plan, Iterator<Row> rows) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int w = ctx.partitionId();
        Worker worker = WORKERS.computeIfAbsent(plan.runId() + "/" + w, k -> new Worker());
        synchronized (worker) {
            if (worker.backend == null) {
                CvrRuntime runtime = CvrRuntime.load();
                worker.estimator =
                        runtime.estimator(plan.estimator()).create(plan.estimatorSettings());
                worker.backend = runtime.backend(plan.backend()).create(plan.backendSettings());
            }
            if (worker.rows == null) {
                worker.rows = readPartition(plan, rows, w);
            }
            var request =
                    TrainingRequest.of(
                            worker.estimator,
                            new SchemaSource(
                                    LogSchemas.fromText(plan.schemaText()).features(),
                                    plan.fingerprint(),
                                    plan.description()));
            if (worker.replica != null
                    && worker.finished == plan.globalRound() - 1
                    && plan.delta() != null) {
                worker.replica.apply(plan.delta());
            } else {
                if (worker.replica != null) {
                    worker.replica.close();
                    worker.replica = null;
                }
                worker.replica =
                        ((DataParallelBackend) worker.backend)
                                .replica(request, Path.of(plan.checkpoint()));
                RoundCursor at = worker.replica.cursor();
                if (at.stage() != plan.stage() || at.round() != plan.round()) {
                    throw new CvrException(
                            "Checkpoint "
                                    + plan.checkpoint()
                                    + " is at stage "
                                    + (at.stage() + 1)
                                    + " round "
                                    + at.round()
                                    + ", not stage "
                                    + (plan.stage() + 1)
                                    + " round "
                                    + plan.round()
                                    + " (is it on a file system every executor sees?)");
                }
            }
            worker.finished = -1;
            long dataSeed = mix(plan.seed(), w + 1);
            long t0 = System.nanoTime();
            ReplicaUpdate update;
            if (plan.failRound() == plan.globalRound()
                    && plan.failWorker() == w
                    && ctx.stageAttemptNumber() == 0
                    && ctx.attemptNumber() == 0) {
                // An injected fault: half the round trained, then the task dies.
                worker.replica.train(
                        worker.rows, plan.stage(), plan.from(), plan.count() / 2, dataSeed);
                throw new IllegalStateException(
                        "Injected failure of worker " + w + " in round " + plan.globalRound());
            }
            update =
                    worker.replica.train(
                            worker.rows, plan.stage(), plan.from(), plan.count(), dataSeed);
            long nanos = System.nanoTime() - t0;
            worker.finished = plan.globalRound();
            return new WorkerResult(w, update, nanos);
        }
    }

    /** Frees the workers of {@code runId} in this JVM. */
    static void release(String runId) {
        for (var it = WORKERS.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().startsWith(runId + "/")) {
                synchronized (e.getValue()) {
                    e.getValue().close();
                }
                it.remove();
            }
        }
    }

    /** SplitMix64 of {@code seed} and {@code k}: a worker's shuffling seed. */
    static long mix(long seed, long k) {
        long z = seed + k * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The partition's rows, in order, as an in-memory exposure source. */
    private static ExposureSource readPartition(RoundPlan plan, Iterator<Row> rows, int w) {
        List<Row> all = new ArrayList<>();
        while (rows.hasNext()) {
            all.add(rows.next());
        }
        if (all.isEmpty()) {
            throw new CvrException(
                    "Worker "
                            + w
                            + " got no rows of "
                            + plan.description()
                            + ": use fewer workers");
        }
        return new InMemoryExposureSource(
                plan.columns().toBatch(all), 4096, plan.description() + " (worker " + w + ")");
    }

    /**
     * The schema and identity of the whole log, without its rows: what a replica is built from (its
     * rows come with each round).
     */
    record SchemaSource(FeatureSchema schema, String fingerprint, String description)
            implements ExposureSource {
        @Override
        public OptionalLong rowCount() {
            return OptionalLong.empty();
        }

        @Override
        public BatchCursor open() {
            throw new UnsupportedOperationException(
                    description + ": the rows come with each round");
        }
    }
}
