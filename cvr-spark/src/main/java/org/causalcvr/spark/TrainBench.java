package org.causalcvr.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.Evaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cvr-spark bench-train}: the measurements of data-parallel training (issue 15, item 3). For
 * every seed, trains one process (the backend's own {@code train}, as {@code cvr train}) and, for
 * every (W, K), W workers on this Spark master; prints one TSV line per run: samples/s, the
 * exposure-space CVR AUC on a test log, and per round the wall time, the longest worker's training
 * time, the rest (synchronisation: scheduling, transfer, merge, checkpoint) and the bytes sent up
 * and broadcast down. The load average is printed with every line: the figures are only as good as
 * the machine was idle.
 */
@Command(
        name = "bench-train",
        mixinStandardHelpOptions = true,
        description =
                "Measure data-parallel training: samples/s, exposure-space CVR AUC against one process, seconds and bytes per synchronisation.")
final class TrainBench implements Callable<Integer> {
    @ParentCommand CvrSparkMain main;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Arrow log.")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "Arrow log.")
    Path test;

    @Option(names = "--estimator", defaultValue = "multi-dr")
    String estimator;

    @Option(names = "--workers", split = ",", defaultValue = "2")
    List<Integer> workers;

    @Option(names = "--sync-steps", split = ",", defaultValue = "32")
    List<Long> syncSteps;

    @Option(names = "--seeds", split = ",", defaultValue = "1")
    List<Long> seeds;

    @Option(names = "--set", paramLabel = "KEY=VALUE")
    List<String> set = List.of();

    @Option(names = "--no-single", description = "Skip the one-process runs.")
    boolean noSingle;

    @Override
    public Integer call() throws IOException {
        CvrRuntime runtime = CvrRuntime.load();
        var routed = DataParallelTraining.route(runtime, estimator, "djl", set);
        ExposureLogFrame log = ExposureLogs.read(main.spark(), train.toString());
        main.out.println(
                "run\tseed\tworkers\tK\tsamples/s\tauc\trounds\tround_s\ttrain_s\tsync_s"
                        + "\tckpt_s\tbytes_up\tbytes_partial\tbytes_down\tmerged_rows\tparams_sha"
                        + "\tload");
        Path scratch = Files.createTempDirectory("cvr-bench-train");
        try {
            for (long seed : seeds) {
                Map<String, String> backendSettings = new LinkedHashMap<>(routed.get("backend"));
                backendSettings.put("seed", Long.toString(seed));
                if (!noSingle) {
                    single(
                            runtime,
                            routed.get("estimator"),
                            backendSettings,
                            seed,
                            scratch.resolve("single-s" + seed));
                }
                for (int w : workers) {
                    for (long k : syncSteps) {
                        Path model = scratch.resolve("w" + w + "-k" + k + "-s" + seed);
                        var settings =
                                new DataParallelTraining.Settings(
                                        estimator,
                                        routed.get("estimator"),
                                        "djl",
                                        backendSettings,
                                        w,
                                        k,
                                        java.util.Optional.empty(),
                                        -1,
                                        -1);
                        var r =
                                DataParallelTraining.train(
                                        log, train.toString(), settings, model, true, x -> {});
                        double auc;
                        try (Backend b = runtime.backend("djl").create(Map.of());
                                TrainedModel m = b.load(model)) {
                            auc = auc(m);
                        }
                        int n = r.rounds().size();
                        double roundS = 0, trainS = 0, ckpt = 0, up = 0, partial = 0, down = 0;
                        double merged = 0;
                        for (var s : r.rounds()) {
                            roundS += s.seconds() / n;
                            trainS += s.trainSeconds() / n;
                            ckpt += s.checkpointSeconds() / n;
                            up += (double) s.bytesUp() / n;
                            partial += (double) s.bytesPartial() / n;
                            down += (double) s.bytesDown() / n;
                            merged += (double) s.mergedRows() / n;
                        }
                        main.out.printf(
                                Locale.ROOT,
                                "spark\t%d\t%d\t%d\t%.0f\t%.4f\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%s%n",
                                seed,
                                w,
                                k,
                                r.samplesPerSecond(),
                                auc,
                                n,
                                roundS,
                                trainS,
                                roundS - trainS,
                                ckpt,
                                up,
                                partial,
                                down,
                                merged,
                                paramsSha(model),
                                load());
                    }
                }
            }
        } finally {
            try (var s = Files.walk(scratch)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return 0;
    }

    private void single(
            CvrRuntime runtime,
            Map<String, String> est,
            Map<String, String> back,
            long seed,
            Path saved) {
        try (Allocators memory = Allocators.create();
                Backend b = runtime.backend("djl").create(back)) {
            var source = ArrowExposureSource.open(train, memory);
            long t0 = System.nanoTime();
            try (TrainedModel m =
                    b.train(TrainingRequest.of(runtime.estimator(estimator).create(est), source))) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                var stats = ((org.causalcvr.backend.djl.DjlTrainedModel) m).trainingStats();
                m.save(saved);
                main.out.printf(
                        Locale.ROOT,
                        "single\t%d\t1\t-\t%.0f\t%.4f\t-\t-\t%.3f\t-\t-\t-\t-\t-\t-\t%s\t%s%n",
                        seed,
                        stats.rowsRead() / seconds,
                        auc(m),
                        seconds,
                        paramsSha(saved),
                        load());
            }
        }
    }

    private double auc(TrainedModel m) {
        try (Allocators memory = Allocators.create()) {
            return Evaluator.evaluate(
                            m, ArrowExposureSource.open(test, memory), EvaluationOptions.defaults())
                    .space(EvaluationSpace.CVR_EXPOSURE)
                    .orElseThrow(() -> new CvrException(test + ": no exposure-space CVR metrics"))
                    .auc();
        }
    }

    /**
     * The first 12 hex digits of the SHA-256 of a saved model's parameters ({@code params.bin}; the
     * model's JSON records when it was written, so it differs between identical runs).
     */
    static String paramsSha(Path model) {
        try {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(model.resolve("params.bin")));
            return java.util.HexFormat.of().formatHex(digest, 0, 6);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return "?";
        }
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "/" + f[1];
        } catch (IOException e) {
            return "?";
        }
    }
}
