package org.causalcvr.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.backend.djl.DjlTrainedModel;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.bench.DataBench;
import org.causalcvr.data.arrow.synth.FieldKind;
import org.causalcvr.data.arrow.synth.FieldSpec;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.data.arrow.synth.WorldConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cvr bench}: training throughput of an estimator and the cost of a data scan, measured in
 * one run so they can be compared over time and against the PyTorch reference in shared/bench (run
 * side by side, as ratios).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Measure training throughput (samples/s, ms/step, batch-wait share, peak RSS) and a data scan against a raw read of the same bytes.")
final class BenchCommand implements Callable<Integer> {
    /** The PyTorch reference's 20 single-valued fields (shared/bench/pytorch-reference). */
    static final Object[][] REFERENCE_FIELDS = {
        {"user_id_101", 400_000, FieldRole.USER, FieldKind.USER_ID},
        {"item_id_205", 1_000_000, FieldRole.ITEM, FieldKind.ITEM_ID},
        {"shop_207", 300_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"intention_210", 100_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"brand_216", 200_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"user_category_508", 1_000_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"user_shop_509", 500_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"user_brand_702", 200_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"category_206", 10_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"user_intention_853", 50_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"user_intent_hist_150_14", 20_000, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"cms_segid_121", 98, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"cms_group_122", 14, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"gender_124", 3, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"age_125", 8, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"pvalue_126", 4, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"shopping_level_127", 4, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"occupation_128", 3, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"city_level_129", 5, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"scenario_301", 4, FieldRole.CONTEXT, FieldKind.CONTEXT}
    };

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimator",
            defaultValue = "multi-dr",
            description = "Estimator (default: ${DEFAULT-VALUE}).")
    String estimator;

    @Option(
            names = "--preset",
            defaultValue = "paper-ali-ccp",
            description = "Network preset (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(
            names = "--batch",
            defaultValue = "1024",
            description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--steps",
            defaultValue = "200",
            description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--warmup",
            defaultValue = "30",
            description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "PyTorch intra-op threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--table-rows",
            paramLabel = "N[,N...]",
            description =
                    "Total embedding rows to scale the fields to, one run each (default: the world's own).")
    String tableRows;

    @Option(
            names = "--match-reference",
            description =
                    "The PyTorch reference's exact work: its 20 single-valued fields, every tower on every row (no under-sampling), propensity floor 0.02, detached propensity.")
    boolean matchReference;

    @Option(
            names = "--scan-rows",
            defaultValue = "0",
            description =
                    "Also time a scan of an ali-ccp-like file of this many rows against a raw read (0: skip; default: ${DEFAULT-VALUE}).")
    long scanRows;

    @Option(
            names = "--work",
            defaultValue = ".cvr/bench",
            paramLabel = "DIR",
            description = "Where the scan file is written (default: ${DEFAULT-VALUE}).")
    Path work;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A backend setting (repeatable).")
    List<String> set;

    @Option(names = "--json", description = "Print one JSON object per measurement.")
    boolean json;

    @Override
    public Integer call() {
        if (batch < 1 || steps < 1 || warmup < 1) {
            throw new IllegalArgumentException(
                    "Options --batch, --steps and --warmup must be at least 1");
        }
        var runtime = CvrRuntime.load();
        var out = spec.commandLine().getOut();
        Map<String, String> estimatorSettings = new LinkedHashMap<>();
        if (matchReference) {
            var schema = runtime.estimator(estimator).configSchema();
            if (schema.key("undersample-rate").isPresent()) {
                estimatorSettings.put("undersample-rate", "Infinity");
            }
            if (schema.key("ipw-bound").isPresent()) {
                estimatorSettings.put("ipw-bound", "0.02");
            }
            if (schema.key("propensity-gradient").isPresent()) {
                estimatorSettings.put("propensity-gradient", "detached");
            }
        }
        Estimator est = runtime.estimator(estimator).create(estimatorSettings);
        List<Long> sizes = new ArrayList<>();
        if (tableRows == null) {
            sizes.add(0L);
        } else {
            for (String s : Settings.list(tableRows)) {
                sizes.add((long) Double.parseDouble(s));
            }
        }
        for (long size : sizes) {
            var result = train(runtime, est, size);
            result.put("estimatorSettings", estimatorSettings);
            print(out, result);
        }
        if (scanRows > 0) {
            print(out, scan());
        }
        return 0;
    }

    private void print(java.io.PrintWriter out, Map<String, Object> result) {
        if (json) {
            out.println(Json.GSON.toJson(result).replace("\n", "").replaceAll(" {2,}", " "));
        } else {
            var sb = new StringBuilder();
            result.forEach(
                    (k, v) ->
                            sb.append(k)
                                    .append('=')
                                    .append(
                                            v instanceof Double d
                                                    ? String.format(Locale.ROOT, "%.4g", d)
                                                    : v)
                                    .append("  "));
            out.println(sb.toString().trim());
        }
        out.flush();
    }

    private WorldConfig world(long tableRows) {
        WorldConfig base;
        if (matchReference) {
            var fields = new ArrayList<FieldSpec>();
            for (Object[] f : REFERENCE_FIELDS) {
                fields.add(
                        FieldSpec.of(
                                (String) f[0],
                                (FieldRole) f[2],
                                (Integer) f[1],
                                (FieldKind) f[3],
                                0.8));
            }
            base = new WorldConfig(fields, 0.04, 0.05, 1.0, 0.5, 1.0, 7);
        } else {
            base = Presets.get("ali-ccp-like").withSeed(7);
        }
        if (tableRows <= 0) {
            return base;
        }
        long total = base.fields().stream().mapToLong(FieldSpec::cardinality).sum();
        double scale = (double) tableRows / total;
        var scaled = new ArrayList<FieldSpec>();
        for (FieldSpec f : base.fields()) {
            // Small fields keep their cardinality; large ones carry the scale, as ids do in
            // practice.
            long c =
                    f.cardinality() < 1000
                            ? f.cardinality()
                            : Math.max(1000, Math.round(f.cardinality() * scale));
            if (c > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "Option --table-rows = "
                                + tableRows
                                + " makes field "
                                + f.name()
                                + " too large");
            }
            scaled.add(f.withCardinality((int) c));
        }
        return new WorldConfig(
                scaled,
                base.clickRate(),
                base.conversionRate(),
                base.confounding(),
                base.featureCorrelation(),
                base.featureStrength(),
                base.seed());
    }

    private Map<String, Object> train(CvrRuntime runtime, Estimator est, long tableRows) {
        SyntheticWorld world = SyntheticWorld.build(world(tableRows));
        long rows = (long) (warmup + steps + 2) * batch;
        var source = world.source(rows, Math.max(batch, 8192));
        var settings = new LinkedHashMap<String, String>();
        settings.put("preset", preset);
        settings.put("batch-size", Integer.toString(batch));
        settings.put("threads", Integer.toString(threads));
        settings.put("epochs", "1");
        settings.put("progress-every", "1");
        settings.putAll(Settings.parsePairs(set, "--set"));
        var times = new ArrayList<long[]>();
        TrainingListener listener =
                new TrainingListener() {
                    @Override
                    public void onProgress(TrainingProgress p) {
                        times.add(new long[] {System.nanoTime(), p.samples()});
                    }
                };
        var result = new LinkedHashMap<String, Object>();
        try (Backend backend = runtime.backend(Experiment.BACKEND).create(settings);
                TrainedModel model =
                        backend.train(
                                new TrainingRequest(
                                        est,
                                        source,
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        listener))) {
            if (times.size() <= warmup + 1) {
                throw new IllegalStateException(
                        "Too few steps were reported to time (" + times.size() + ")");
            }
            long[] start = times.get(warmup - 1);
            long[] end = times.get(times.size() - 1);
            int timed = times.size() - warmup;
            double seconds = (end[0] - start[0]) / 1e9;
            result.put("measure", "train");
            result.put("estimator", est.name());
            result.put("preset", preset);
            result.put("matchReference", matchReference);
            result.put("tableRows", source.schema().totalCardinality());
            result.put("batch", batch);
            result.put("threads", threads);
            result.put("timedSteps", timed);
            result.put("samplesPerSecond", (end[1] - start[1]) / seconds);
            result.put("msPerStep", 1000 * seconds / timed);
            if (model instanceof DjlTrainedModel djl) {
                var stats = djl.trainingStats();
                result.put("rowsTrainedShare", (double) stats.rowsTrained() / stats.rowsRead());
                result.put("batchWaitShare", stats.waitShare());
            }
            result.put("device", backend.device());
            result.put("peakRssMiB", peakRssMiB());
        }
        return result;
    }

    private Map<String, Object> scan() {
        var result = new LinkedHashMap<String, Object>();
        try (Allocators memory = Allocators.create()) {
            Files.createDirectories(work);
            Path file = work.resolve("scan-ali-ccp-like-" + scanRows + ".arrow");
            if (!Files.isRegularFile(file)) {
                SyntheticWorld.build(Presets.get("ali-ccp-like").withSeed(11))
                        .write(file, scanRows, memory);
            }
            DataBench.scan(file, memory, true); // warm the page cache and the JIT
            DataBench.rawRead(file);
            double best = Double.MAX_VALUE;
            double bestRaw = Double.MAX_VALUE;
            DataBench.Scan scan = null;
            for (int rep = 0; rep < 3; rep++) {
                scan = DataBench.scan(file, memory, true);
                best = Math.min(best, scan.seconds());
                long t0 = System.nanoTime();
                DataBench.rawRead(file);
                bestRaw = Math.min(bestRaw, (System.nanoTime() - t0) / 1e9);
            }
            long bytes = Files.size(file);
            result.put("measure", "scan");
            result.put("rows", scan.rows());
            result.put("features", scan.features());
            result.put("bytes", bytes);
            result.put("readerSeconds", best);
            result.put("rawSeconds", bestRaw);
            result.put("readerRowsPerSecond", scan.rows() / best);
            result.put("readerGBps", bytes / best / 1e9);
            result.put("rawGBps", bytes / bestRaw / 1e9);
            result.put("readerOverRaw", best / bestRaw);
            result.put("allocatorPeakMiB", scan.allocatorPeak() / 1048576.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    /** The process's peak resident set (VmHWM), or -1 where /proc is not available. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
