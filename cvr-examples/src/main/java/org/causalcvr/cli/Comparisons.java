package org.causalcvr.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.config.SettingsFile;
import org.causalcvr.experiments.report.ComparisonReport;

/** The console side of demo, compare and sweep: the comparison's options, output and report. */
final class Comparisons {
    private Comparisons() {}

    /** Seeds 1..n. */
    static List<Long> seeds(int n) {
        return seeds(1, n);
    }

    /**
     * The n seeds first, first + 1, ..., first + n - 1. A later first seed draws runs independent
     * of an earlier report's (seeds 11-30 beside 1-10): a replication, not a rerun.
     */
    static List<Long> seeds(long first, int n) {
        if (n < 1) {
            throw new ConfigException(
                    "Option --seeds = " + n + " is out of range: allowed [1, +inf)");
        }
        if (first < 1 || first > Long.MAX_VALUE - n) {
            throw new ConfigException(
                    "Option --first-seed = " + first + " is out of range: allowed [1, +inf)");
        }
        return LongStream.range(first, first + n).boxed().toList();
    }

    /**
     * A comparison on the backend the options name, with the {@code --set} pairs routed to the
     * estimators and the backend that declare them, and progress shown on {@code err}.
     */
    static Comparison base(
            CvrRuntime runtime,
            BackendOptions options,
            Map<String, String> backendSettings,
            List<String> set,
            List<Long> seeds,
            boolean progress,
            PrintWriter err) {
        return Comparison.of(runtime)
                .backend(options.backend, backendSettings)
                .set(Settings.parsePairs(set, "--set"))
                .seeds(seeds)
                .listener(new ConsoleRunListener(progress, err));
    }

    /**
     * The word {@code --settings} takes instead of a file: every estimator's own defaults, even
     * where the command would otherwise read a built-in file ({@code demo}, {@code compare
     * --dataset coat}). One word for every command, so what a user learned from one works in all.
     */
    static final String NO_SETTINGS = "none";

    /** Whether {@code --settings} was given as {@value #NO_SETTINGS}. */
    static boolean declinesSettings(String option) {
        return option != null && option.trim().equalsIgnoreCase(NO_SETTINGS);
    }

    /**
     * The settings file {@code --settings} names, read (a defect fails naming the file and field),
     * or empty without one or with {@value #NO_SETTINGS}.
     */
    static Optional<SettingsFile> settingsFile(String option) {
        if (option == null || declinesSettings(option)) {
            return Optional.empty();
        }
        return Optional.of(SettingsFile.read(Path.of(option)));
    }

    /** The keys the user set explicitly (backend options and {@code --set}): they beat a file. */
    static Set<String> explicitKeys(BackendOptions options, List<String> set) {
        var keys = new HashSet<>(options.settings().keySet());
        keys.addAll(Settings.parsePairs(set, "--set").keySet());
        return keys;
    }

    /**
     * {@code comparison} with one arm per estimator name, each with its entry of {@code file} (if
     * any) under the explicit options.
     */
    static Comparison withEstimators(
            Comparison comparison,
            CvrRuntime runtime,
            String backend,
            List<String> names,
            Optional<SettingsFile> file,
            String fileName,
            Set<String> explicit) {
        Comparison out = comparison;
        for (String name : names) {
            if (file.isPresent() && file.get().of(name).isPresent()) {
                Settings routed =
                        file.get()
                                .route(
                                        name,
                                        runtime.estimator(name).configSchema(),
                                        runtime.backend(backend).configSchema(),
                                        explicit,
                                        fileName);
                out = out.arm(name, name, routed.estimator(), routed.backend());
            } else {
                out = out.estimators(name);
            }
        }
        return out;
    }

    /**
     * {@code comparison} with the settings file it read named in its provenance, tuned or not, with
     * the file's note (how its entries were found); unchanged without a file.
     */
    static Comparison withSettingsProvenance(
            Comparison comparison, Optional<SettingsFile> file, String fileName) {
        return file.map(
                        f ->
                                comparison.provenance(
                                        "settings",
                                        fileName
                                                + (f.tuned() ? " (tuned)" : " (NOT TUNED)")
                                                + ": "
                                                + f.note()))
                .orElse(comparison);
    }

    /**
     * Fails, naming the path, unless {@code reportFolder} is free, empty or a report of ours:
     * before data is read or generated and before hours of training.
     */
    static void requireReportFolder(Path reportFolder) {
        if (reportFolder != null) {
            AtomicFolders.requireReplaceable(reportFolder, ComparisonReport.FOLDER);
        }
    }

    /**
     * Checks the report folder, runs the comparison, writes the report folder and prints the table,
     * or with {@code json} the content of report.json (numbers, not formatted cells) plus {@code
     * report}, the folder's path; returns the report.
     */
    static ComparisonReport run(
            Comparison comparison,
            Path reportFolder,
            boolean json,
            PrintWriter out,
            ComparisonReport.ExtraPlots extraPlots) {
        return run(comparison, reportFolder, json, out, extraPlots, Optional.empty());
    }

    /**
     * As {@link #run(Comparison, Path, boolean, PrintWriter, ComparisonReport.ExtraPlots)}, with
     * {@code published} shown beside the comparison's own figures.
     */
    static ComparisonReport run(
            Comparison comparison,
            Path reportFolder,
            boolean json,
            PrintWriter out,
            ComparisonReport.ExtraPlots extraPlots,
            Optional<org.causalcvr.experiments.report.PublishedTable> published) {
        requireReportFolder(reportFolder);
        ComparisonReport ran = comparison.run();
        ComparisonReport report = published.map(ran::withPublished).orElse(ran);
        if (reportFolder != null) {
            report.writeReport(reportFolder, extraPlots);
        }
        if (json) {
            // The numbers, in report.json's structure, and the folder they were written to.
            var root = new java.util.LinkedHashMap<>(report.json());
            root.put("report", reportFolder == null ? "" : reportFolder.toString());
            out.println(org.causalcvr.experiments.report.Json.write(root));
        } else {
            out.println();
            out.println(report.title());
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
}
