package org.causalcvr.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.plugin.CvrRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cvr-spark train}: {@code cvr train}'s options, trained data-parallel on the cluster
 * ({@link DataParallelTraining}).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train an estimator data-parallel on Spark (model averaging every --sync-steps batches) and save the model as 'cvr train' does.")
final class TrainCommand implements Callable<Integer> {
    @ParentCommand CvrSparkMain main;

    @Option(names = "--estimator", required = true, paramLabel = "NAME")
    String estimator;

    @Option(
            names = "--train",
            required = true,
            paramLabel = "PATH",
            description = "An exposure log: a folder of shards, or one Parquet or Arrow file.")
    String train;

    @Option(
            names = "--valid",
            paramLabel = "PATH",
            description =
                    "Not supported on Spark yet (early stopping needs a validation pass per epoch).")
    String valid;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Folder to save the model to (atomically), on the driver's file system.")
    Path model;

    @Option(
            names = "--checkpoints",
            paramLabel = "DIR",
            description =
                    "Checkpoint folder, written after every round and resumed from; on a file system every executor sees (default: a temporary folder, enough for local mode).")
    Path checkpoints;

    @Option(names = "--seed", paramLabel = "SEED")
    Long seed;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "An estimator or backend setting (repeatable).")
    List<String> set = List.of();

    @Option(
            names = "--backend",
            defaultValue = "djl",
            description = "Backend (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(
            names = "--workers",
            defaultValue = "2",
            description = "Workers W, each a task of a barrier stage (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(
            names = "--sync-steps",
            defaultValue = "32",
            description =
                    "Batches K each worker trains between two merges (default: ${DEFAULT-VALUE}).")
    long syncSteps;

    @Option(names = "--overwrite", description = "Replace an existing model folder.")
    boolean overwrite;

    @Option(
            names = {"-q", "--quiet"},
            description = "No per-round lines.")
    boolean quiet;

    @Override
    public Integer call() {
        if (valid != null) {
            throw new CvrException(
                    "--valid: early stopping is not supported by cvr-spark train; train for a fixed"
                            + " number of epochs and evaluate with cvr-spark evaluate");
        }
        var routed = DataParallelTraining.route(CvrRuntime.load(), estimator, backend, set);
        Map<String, String> backendSettings = new LinkedHashMap<>(routed.get("backend"));
        if (seed != null) {
            backendSettings.put("seed", Long.toString(seed));
        }
        var settings =
                new DataParallelTraining.Settings(
                        estimator,
                        routed.get("estimator"),
                        backend,
                        backendSettings,
                        workers,
                        syncSteps,
                        java.util.Optional.ofNullable(checkpoints),
                        -1,
                        -1);
        ExposureLogFrame log = ExposureLogs.read(main.spark(), train);
        var result =
                DataParallelTraining.train(
                        log,
                        train,
                        settings,
                        model,
                        overwrite,
                        r -> {
                            if (!quiet) {
                                main.out.printf(
                                        Locale.ROOT,
                                        "stage %d round %d: %.2f s (train %.2f s, checkpoint %.2f s), %,d bytes up"
                                                + " (and %,d of partial merges), %,d down, %,d rows"
                                                + " merged%n",
                                        r.stage() + 1,
                                        r.round() + 1,
                                        r.seconds(),
                                        r.trainSeconds(),
                                        r.checkpointSeconds(),
                                        r.bytesUp(),
                                        r.bytesPartial(),
                                        r.bytesDown(),
                                        r.mergedRows());
                            }
                        });
        main.out.printf(
                Locale.ROOT,
                "Trained %s on %s with %d workers (K=%d) in %d rounds, %.1f s; model saved to %s%n",
                estimator,
                train,
                workers,
                syncSteps,
                result.rounds().size(),
                result.seconds(),
                model);
        return 0;
    }
}
