package org.causalcvr.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.parallel.DataParallelBackend;
import org.causalcvr.api.parallel.ReplicaUpdate;
import org.causalcvr.api.parallel.RoundCursor;
import org.causalcvr.api.parallel.TrainingReplica;
import org.causalcvr.api.plugin.CvrRuntime;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Data-parallel training on Spark: periodic model averaging in rounds of Spark jobs (design and
 * measurements: {@code cvr-spark/TRAINING.md}).
 *
 * <p>The log is split into W stripes (row i goes to worker i mod W, in row order), one partition
 * per worker. Round after round, a barrier stage runs the W workers at once: each takes the merged
 * state of the previous round, trains the next K batches of its own stream (its stripe, reshuffled
 * every epoch with its own seed) with the backend, and returns every dense value and the embedding
 * rows it touched; a tree of merges in a fixed order combines them ({@link ReplicaMerge}: dense
 * values weighted by rows trained, each touched row by its touches); the driver applies the merge,
 * writes it as a checkpoint (atomically) and broadcasts it with the next round. A task that fails
 * makes Spark rerun the whole barrier stage, whose workers start again from the checkpointed state,
 * so a retried round computes what the first attempt would have and nothing written is corrupted.
 * Stages of a schedule run one after the other, each in rounds; a round never spans two stages.
 *
 * <p>Every worker runs its backend in the JVM of its executor. DJL's PyTorch engine records one
 * gradient at a time per JVM, so workers sharing a JVM ({@code local[N]}, or an executor with
 * several cores) take turns at that part of a step: give each executor one task slot ({@code
 * spark.executor.cores = spark.task.cpus}) to train W workers at once.
 */
public final class DataParallelTraining {
    private DataParallelTraining() {}

    /**
     * What to train and how.
     *
     * @param workers W, the partitions trained at once (each needs a task slot)
     * @param syncSteps K, batches each worker trains between two merges
     * @param checkpoints folder for the per-round checkpoint (resumed from when it holds one); it
     *     must be on a file system every executor sees. Empty: a temporary folder on the driver,
     *     deleted at the end (enough for local mode)
     * @param failRound, failWorker a fault to inject for tests: worker {@code failWorker} dies in
     *     the middle of the first attempt of global round {@code failRound} (−1: none)
     */
    public record Settings(
            String estimator,
            Map<String, String> estimatorSettings,
            String backend,
            Map<String, String> backendSettings,
            int workers,
            long syncSteps,
            Optional<Path> checkpoints,
            long failRound,
            int failWorker)
            implements Serializable {
        public Settings {
            if (workers < 1) {
                throw new CvrException("--workers must be at least 1, not " + workers);
            }
            if (syncSteps < 1) {
                throw new CvrException("--sync-steps must be at least 1, not " + syncSteps);
            }
            estimatorSettings = Map.copyOf(estimatorSettings);
            backendSettings = Map.copyOf(backendSettings);
        }

        /** {@code estimator} on the DJL backend with its defaults. */
        public static Settings of(String estimator, int workers, long syncSteps) {
            return new Settings(
                    estimator,
                    Map.of(),
                    "djl",
                    Map.of(),
                    workers,
                    syncSteps,
                    Optional.empty(),
                    -1,
                    -1);
        }

        public Settings withEstimatorSettings(Map<String, String> s) {
            return new Settings(
                    estimator,
                    s,
                    backend,
                    backendSettings,
                    workers,
                    syncSteps,
                    checkpoints,
                    failRound,
                    failWorker);
        }

        public Settings withBackendSettings(Map<String, String> s) {
            return new Settings(
                    estimator,
                    estimatorSettings,
                    backend,
                    s,
                    workers,
                    syncSteps,
                    checkpoints,
                    failRound,
                    failWorker);
        }

        public Settings withCheckpoints(Path folder) {
            return new Settings(
                    estimator,
                    estimatorSettings,
                    backend,
                    backendSettings,
                    workers,
                    syncSteps,
                    Optional.of(folder),
                    failRound,
                    failWorker);
        }

        /**
         * Injects one failure (tests): worker {@code worker} dies in global round {@code round}.
         */
        public Settings withInjectedFailure(long round, int worker) {
            return new Settings(
                    estimator,
                    estimatorSettings,
                    backend,
                    backendSettings,
                    workers,
                    syncSteps,
                    checkpoints,
                    round,
                    worker);
        }
    }

    /**
     * One round, as the driver saw it.
     *
     * @param seconds the round's wall time on the driver (job, merge, apply, checkpoint)
     * @param trainSeconds the longest time one worker spent training in the round
     * @param checkpointSeconds the time writing the checkpoint took
     * @param bytesUp payload the workers sent ({@link ReplicaUpdate#bytes()} summed)
     * @param bytesPartial payload of the partial merges (about √W) sent to the driver
     * @param bytesDown payload of the broadcast merge ({@link ReplicaUpdate#bytes()})
     * @param mergedRows embedding rows in the merge (touched by some worker)
     * @param rowsTrained rows the workers trained in the round
     */
    public record RoundStats(
            int stage,
            long round,
            double seconds,
            double trainSeconds,
            double checkpointSeconds,
            long bytesUp,
            long bytesPartial,
            long bytesDown,
            long mergedRows,
            long rowsTrained) {}

    /**
     * A finished training.
     *
     * @param rows rows of the log
     * @param rowsTrained rows trained over all rounds and workers (after under-sampling)
     * @param seconds wall time of the rounds (without reading and splitting the log)
     */
    public record Result(
            Path model,
            int workers,
            long syncSteps,
            int epochs,
            int stages,
            long rows,
            long rowsTrained,
            double seconds,
            List<RoundStats> rounds) {
        /**
         * Rows read per second: epochs · stages · rows / seconds (rows before under-sampling, as
         * the backend's progress reports count them).
         */
        public double samplesPerSecond() {
            return (double) rows * epochs * stages / seconds;
        }
    }

    /**
     * Trains {@code settings.estimator()} on {@code log} with W workers and saves the model to
     * {@code model} (atomically).
     *
     * @param description the log's name (its path), recorded in the model's provenance
     * @param overwrite whether an existing model folder may be replaced
     * @param onRound called after every round
     * @throws DataException if {@code model} exists and {@code overwrite} is false, before any work
     */
    public static Result train(
            ExposureLogFrame log,
            String description,
            Settings settings,
            Path model,
            boolean overwrite,
            Consumer<RoundStats> onRound) {
        if (Files.exists(model) && !overwrite) {
            throw new DataException(model + ": exists; pass --overwrite to replace it");
        }
        CvrRuntime runtime = CvrRuntime.load();
        Estimator estimator =
                runtime.estimator(settings.estimator()).create(settings.estimatorSettings());
        SparkSession spark = log.rows().sparkSession();
        int w = settings.workers();
        long rows = log.rows().count();
        if (rows < w) {
            throw new DataException(
                    description + ": " + rows + " rows cannot feed " + w + " workers");
        }
        String fingerprint =
                "spark:"
                        + description
                        + ":"
                        + rows
                        + " rows:"
                        + w
                        + " workers:K="
                        + settings.syncSteps();
        String schemaText = LogSchemas.toText(log.schema());
        LogColumns columns = new LogColumns(log.schema(), log.rows().schema());
        var request =
                TrainingRequest.of(
                        estimator,
                        new ParallelWorkers.SchemaSource(
                                log.schema().features(), fingerprint, description));
        Path checkpointDir;
        boolean temporary = settings.checkpoints().isEmpty();
        try {
            checkpointDir =
                    temporary
                            ? Files.createTempDirectory("cvr-spark-train")
                            : Files.createDirectories(settings.checkpoints().get());
        } catch (IOException e) {
            throw new CvrException("Cannot create the checkpoint folder: " + e.getMessage(), e);
        }
        Path checkpoint = checkpointDir.resolve("checkpoint");
        String runId = UUID.randomUUID().toString();
        // On disk once: every round's barrier stage reads its partition again (a worker that kept
        // its rows does not consume it), and a shuffle read with sorting would fetch and sort the
        // whole stripe each time.
        JavaRDD<Row> stripes = stripes(log, w).persist(StorageLevel.DISK_ONLY());
        try (Backend backend =
                runtime.backend(settings.backend()).create(settings.backendSettings())) {
            if (!(backend instanceof DataParallelBackend parallel)) {
                throw new CvrException(
                        "Backend '" + settings.backend() + "' cannot train data-parallel");
            }
            backend.requireSavable(model);
            try (TrainingReplica driver =
                    Files.isDirectory(checkpoint)
                            ? parallel.replica(request, checkpoint)
                            : parallel.replica(request)) {
                RoundCursor cursor = driver.cursor();
                if (cursor.equals(RoundCursor.START)) {
                    driver.checkpoint(checkpoint, cursor);
                }
                long seed;
                try (var view = driver.model()) {
                    seed = view.provenance().seed();
                }
                long perWorker = (rows + w - 1) / w;
                long roundsPerStage =
                        (driver.epochs() * driver.batchesPerEpoch(perWorker)
                                        + settings.syncSteps()
                                        - 1)
                                / settings.syncSteps();
                List<RoundStats> stats = new ArrayList<>();
                long rowsTrained = cursor.rowsTrained();
                ReplicaUpdate delta = null;
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                long start = System.nanoTime();
                for (int stage = cursor.stage(); stage < driver.stages(); stage++) {
                    long first = stage == cursor.stage() ? cursor.round() : 0;
                    for (long round = first; round < roundsPerStage; round++) {
                        long t0 = System.nanoTime();
                        long global = stage * roundsPerStage + round;
                        var plan =
                                new ParallelWorkers.RoundPlan(
                                        runId,
                                        stage,
                                        round,
                                        global,
                                        round * settings.syncSteps(),
                                        settings.syncSteps(),
                                        delta,
                                        checkpoint.toAbsolutePath().toString(),
                                        settings.estimator(),
                                        settings.estimatorSettings(),
                                        settings.backend(),
                                        settings.backendSettings(),
                                        schemaText,
                                        columns,
                                        fingerprint,
                                        description,
                                        seed,
                                        settings.failRound(),
                                        settings.failWorker());
                        Broadcast<ParallelWorkers.RoundPlan> bc = jsc.broadcast(plan);
                        ReplicaMerge merge;
                        try {
                            merge = runRound(stripes, bc);
                        } catch (RuntimeException e) {
                            throw SparkErrors.unwrap(e);
                        } finally {
                            bc.destroy();
                        }
                        if (merge.updates() != w) {
                            throw new IllegalStateException(
                                    "Round "
                                            + global
                                            + " merged "
                                            + merge.updates()
                                            + " of "
                                            + w
                                            + " workers");
                        }
                        ReplicaUpdate merged = merge.result();
                        driver.apply(merged);
                        rowsTrained += merged.weight();
                        long c0 = System.nanoTime();
                        RoundCursor next =
                                round + 1 < roundsPerStage
                                        ? new RoundCursor(stage, round + 1, rowsTrained)
                                        : new RoundCursor(stage + 1, 0, rowsTrained);
                        driver.checkpoint(checkpoint, next);
                        long c1 = System.nanoTime();
                        var s =
                                new RoundStats(
                                        stage,
                                        round,
                                        (c1 - t0) / 1e9,
                                        merge.maxTrainNanos() / 1e9,
                                        (c1 - c0) / 1e9,
                                        merge.bytesUp(),
                                        merge.bytesPartial(),
                                        delta == null ? 0 : delta.bytes(),
                                        merged.touchedRows(),
                                        merged.weight());
                        stats.add(s);
                        onRound.accept(s);
                        delta = merged;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                try (var trained = driver.model()) {
                    trained.save(model);
                }
                return new Result(
                        model,
                        w,
                        settings.syncSteps(),
                        driver.epochs(),
                        driver.stages(),
                        rows,
                        rowsTrained,
                        seconds,
                        stats);
            }
        } finally {
            ParallelWorkers.release(runId);
            release(stripes, runId);
            stripes.unpersist(false);
            if (temporary) {
                deleteTree(checkpointDir);
            }
        }
    }

    /**
     * One round: the barrier stage of the W workers, then their updates merged in a tree (as {@code
     * treeAggregate} does): worker w's update goes, as the worker sent it, to group w mod G (about
     * √W, {@link #groups}); each group merges its workers in worker order, and the driver merges
     * the groups in group order. The order of every sum is therefore fixed by W, not by the order
     * in which tasks finish. The shuffle makes the barrier stage a shuffle-map stage, which Spark
     * reruns as a whole when a task fails (a failed barrier result stage cannot be retried).
     */
    private static ReplicaMerge runRound(
            JavaRDD<Row> stripes, Broadcast<ParallelWorkers.RoundPlan> plan) {
        ClassTag<ParallelWorkers.WorkerResult> tag =
                ClassTag$.MODULE$.apply(ParallelWorkers.WorkerResult.class);
        RDD<ParallelWorkers.WorkerResult> results =
                stripes.rdd().barrier().mapPartitions(new RoundFunction(plan), false, tag);
        int groups = groups(stripes.getNumPartitions());
        List<ReplicaMerge> partials =
                new ArrayList<>(
                        JavaRDD.fromRDD(results, tag)
                                .mapToPair(r -> new Tuple2<>(r.worker() % groups, r))
                                .groupByKey(new HashPartitioner(groups))
                                .map(
                                        g -> {
                                            var inOrder =
                                                    new ArrayList<ParallelWorkers.WorkerResult>();
                                            g._2().forEach(inOrder::add);
                                            inOrder.sort(
                                                    Comparator.comparingInt(
                                                            ParallelWorkers.WorkerResult::worker));
                                            return new Tuple2<>(
                                                    g._1(), ReplicaMerge.ofWorkers(inOrder));
                                        })
                                .collect()
                                .stream()
                                .sorted(Comparator.comparingInt(Tuple2::_1))
                                .map(Tuple2::_2)
                                .toList());
        return ReplicaMerge.ofPartials(partials);
    }

    /**
     * Partial merges of a round of W workers: the nearest integer to √W, so each of them merges
     * about √W updates and the driver about √W partial merges (W = 1, 2: one group, whose merge is
     * the only update the driver receives; W = 3 to 6: two; W = 100: ten).
     */
    static int groups(int workers) {
        return (int) Math.max(1, Math.round(Math.sqrt(workers)));
    }

    /** A worker's round as the function of a barrier stage. */
    private static final class RoundFunction
            extends scala.runtime.AbstractFunction1<
                    scala.collection.Iterator<Row>,
                    scala.collection.Iterator<ParallelWorkers.WorkerResult>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<ParallelWorkers.RoundPlan> plan;

        RoundFunction(Broadcast<ParallelWorkers.RoundPlan> plan) {
            this.plan = plan;
        }

        @Override
        public scala.collection.Iterator<ParallelWorkers.WorkerResult> apply(
                scala.collection.Iterator<Row> rows) {
            var result = ParallelWorkers.round(plan.value(), CollectionConverters.asJava(rows));
            return CollectionConverters.asScala(List.of(result).iterator());
        }
    }

    /** Row i of the log goes to partition i mod W; each partition keeps the log's row order. */
    static JavaRDD<Row> stripes(ExposureLogFrame log, int w) {
        return log.rows()
                .javaRDD()
                .zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
                .repartitionAndSortWithinPartitions(new StripePartitioner(w))
                .values();
    }

    /** Partition {@code index mod W} of a row index. */
    static final class StripePartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        StripePartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.floorMod((Long) key, (long) partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StripePartitioner p && p.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }

    /** Frees the workers of {@code runId} on the executors (best effort). */
    private static void release(JavaRDD<Row> stripes, String runId) {
        try {
            stripes.foreachPartition(rows -> ParallelWorkers.release(runId));
        } catch (RuntimeException ignored) {
            // Executors that kept a worker free it when their JVM ends.
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // A leftover temporary folder holds no output.
        }
    }

    /** Splits {@code --set} values between the estimator's keys and the backend's. */
    static Map<String, Map<String, String>> route(
            CvrRuntime runtime, String estimator, String backend, List<String> sets) {
        var est = new LinkedHashMap<String, String>();
        var back = new LinkedHashMap<String, String>();
        var estSchema = runtime.estimator(estimator).configSchema();
        var backSchema = runtime.backend(backend).configSchema();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new CvrException("--set '" + s + "': use KEY=VALUE");
            }
            String key = s.substring(0, eq).trim();
            String value = s.substring(eq + 1).trim();
            if (estSchema.key(key).isPresent()) {
                est.put(key, value);
            } else if (backSchema.key(key).isPresent()) {
                back.put(key, value);
            } else {
                throw new CvrException(
                        "--set '"
                                + key
                                + "': not a setting of estimator "
                                + estimator
                                + " or backend "
                                + backend);
            }
        }
        return Map.of("estimator", est, "backend", back);
    }
}
