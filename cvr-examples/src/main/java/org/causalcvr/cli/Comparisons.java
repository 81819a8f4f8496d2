package org.causalcvr.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.metrics.EvaluationOptions;

/** Runs a comparison of arms and prints and writes its report: shared by demo, compare, sweep. */
final class Comparisons {
    private Comparisons() {}

    /** Seeds 1..n. */
    static List<Long> seeds(int n) {
        if (n < 1) {
            throw new ConfigException(
                    "Option --seeds = " + n + " is out of range: allowed [1, +inf)");
        }
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    /**
     * One arm per estimator name, each with the {@code --set} pairs that its schema (or the
     * backend's) declares; a pair that no estimator and not the backend declares fails.
     */
    static List<Experiment.Arm> arms(
            CvrRuntime runtime,
            List<String> estimators,
            List<String> set,
            Map<String, String> backendSettings) {
        var pairs = Settings.parsePairs(set, "--set");
        var backendSchema = runtime.backend(Experiment.BACKEND).configSchema();
        var used = new java.util.HashSet<String>();
        var arms = new ArrayList<Experiment.Arm>();
        for (String name : estimators) {
            EstimatorFactory factory = runtime.estimator(name);
            var settings = new LinkedHashMap<String, String>();
            pairs.forEach(
                    (k, v) -> {
                        if (factory.configSchema().key(k).isPresent()) {
                            settings.put(k, v);
                            used.add(k);
                        }
                    });
            arms.add(new Experiment.Arm(name, name, settings));
        }
        pairs.forEach(
                (k, v) -> {
                    if (backendSchema.key(k).isPresent()) {
                        backendSettings.put(k, v);
                        used.add(k);
                    }
                });
        for (String k : pairs.keySet()) {
            if (!used.contains(k)) {
                throw new ConfigException(
                        "Unknown key '"
                                + k
                                + "' in --set: no estimator of "
                                + estimators
                                + " and not the backend declares it");
            }
        }
        return arms;
    }

    /** Runs the arms, prints the table, writes the report folder; returns the report. */
    static ComparisonReport run(
            CvrRuntime runtime,
            List<Experiment.Arm> arms,
            ExposureSource train,
            ExposureSource test,
            Optional<ExposureSource> validation,
            List<Long> seeds,
            Map<String, String> backendSettings,
            boolean progress,
            PrintWriter out,
            PrintWriter err,
            Path reportFolder,
            String title,
            Map<String, Object> provenance,
            boolean json,
            ComparisonReport.ExtraPlots extraPlots) {
        if (reportFolder != null) {
            // Before hours of training: the folder must be free, empty, or a report of ours.
            AtomicFolders.requireReplaceable(reportFolder, ComparisonReport.FOLDER);
        }
        var options = EvaluationOptions.defaults();
        var experiment =
                new Experiment(
                        runtime, backendSettings, progress, err, validation, Optional.empty());
        List<Experiment.Run> runs = experiment.run(arms, train, test, seeds, options, true);
        var report = new ComparisonReport(runs, options.labelSeed());
        var prov = new LinkedHashMap<String, Object>(provenance);
        prov.put("train", train.description() + " (" + train.fingerprint() + ")");
        prov.put("test", test.description() + " (" + test.fingerprint() + ")");
        prov.put("seeds", seeds);
        prov.put("backend", Experiment.BACKEND + " " + backendSettings);
        prov.put("library", "causal-cvr " + Cvr.libraryVersion());
        prov.put("machine", machine());
        if (reportFolder != null) {
            report.write(reportFolder, title, prov, extraPlots);
        }
        if (json) {
            out.println(
                    Json.write(
                            Map.of(
                                    "title",
                                    title,
                                    "report",
                                    reportFolder == null ? "" : reportFolder.toString(),
                                    "table",
                                    report.tableRows())));
        } else {
            out.println();
            out.println(title);
            out.print(report.text());
            if (reportFolder != null) {
                out.println();
                out.println(
                        "Report written to "
                                + reportFolder
                                + " (report.md, report.json, auc.png, roc.png, calibration.png)");
            }
        }
        out.flush();
        return report;
    }

    static String machine() {
        return System.getProperty("os.name")
                + " "
                + System.getProperty("os.arch")
                + ", "
                + Runtime.getRuntime().availableProcessors()
                + " cores, Java "
                + System.getProperty("java.version");
    }
}
