package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.bench.data.ScanBench;
import org.causalcvr.bench.train.BenchWorlds;
import org.causalcvr.bench.train.TrainingBench;
import org.causalcvr.experiments.config.Settings;
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
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimator",
            defaultValue = "multi-dr",
            description = "Estimator (default: ${DEFAULT-VALUE}).")
    String estimator;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            defaultValue = BackendOptions.DEFAULT_BACKEND,
            description = "The backend to measure (default: ${DEFAULT-VALUE}).")
    String backendName;

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
        var runtime = Cvr.runtime(spec);
        var settings = new LinkedHashMap<String, String>();
        settings.put("preset", preset);
        settings.put("threads", Integer.toString(threads));
        settings.putAll(Settings.parsePairs(set, "--set"));
        var bench = new TrainingBench(backendName, settings, batch, warmup, steps);
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
        var out = spec.commandLine().getOut();
        for (long size : sizes) {
            var measured = bench.run(runtime, est, BenchWorlds.world(matchReference, size));
            var result = new LinkedHashMap<String, Object>();
            result.put("measure", "train");
            result.put("estimator", est.name());
            result.put("preset", preset);
            result.put("matchReference", matchReference);
            result.put("tableRows", measured.remove("tableRows"));
            result.put("batch", batch);
            result.put("threads", threads);
            result.putAll(measured);
            result.put("estimatorSettings", estimatorSettings);
            print(out, result);
        }
        if (scanRows > 0) {
            print(out, ScanBench.run(work, scanRows));
        }
        return 0;
    }

    private void print(java.io.PrintWriter out, Map<String, Object> result) {
        if (json) {
            out.println(Json.write(result).replace("\n", "").replaceAll(" {2,}", " "));
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
}
