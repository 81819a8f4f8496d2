package org.causalcvr.experiments.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.io.FolderKind;
import org.causalcvr.experiments.plot.Plots;
import org.causalcvr.experiments.run.ModelEvaluation;
import org.causalcvr.experiments.run.Run;
import org.causalcvr.experiments.run.Scores;
import org.causalcvr.metrics.Binning;
import org.causalcvr.metrics.Calibration;
import org.causalcvr.metrics.CalibrationTable;
import org.causalcvr.metrics.DeLong;
import org.causalcvr.metrics.DeLongResult;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.LabelledScores;
import org.causalcvr.metrics.MetricValue;
import org.causalcvr.metrics.RocCurve;
import org.causalcvr.metrics.SeedSummary;

/**
 * The paper's table 3 for a set of runs, immutable: mean ± std over seeds of each metric, each in
 * its named evaluation space, DeLong's test of every estimator against the best one, each
 * estimator's gain over base (over seeds and by DeLong), a published table beside it where given,
 * and the report folder (report.md, report.json with every run's provenance, PNG plots) it writes.
 */
public final class ComparisonReport {
    /** The marker in every report.json this library writes. */
    public static final String FORMAT = "causal-cvr-report";

    /**
     * A report folder: report.md, report.json (with {@link #FORMAT}) and PNG plots, nothing else.
     */
    public static final FolderKind FOLDER =
            FolderKind.marked(
                    "causal-cvr report folder",
                    "report.json",
                    ComparisonReport::isOurReportJson,
                    name ->
                            name.equals("report.md")
                                    || name.equals("report.json")
                                    || name.endsWith(".png"));

    /** A column of the table: a metric in a space, its display scale and direction. */
    public record Column(
            String header,
            String space,
            String metric,
            double scale,
            int decimals,
            boolean higherIsBetter) {}

    /** Every column a report can have; a report keeps those its runs measured. */
    public static final List<Column> COLUMNS =
            List.of(
                    new Column("CVR AUC clicked", "cvr-clicked", "auc", 100, 2, true),
                    new Column("CVR AUC exposure", "cvr-exposure", "auc", 100, 2, true),
                    new Column("CVR AUC vs true", "cvr-exposure-true", "auc", 100, 2, true),
                    new Column(
                            "CVR AUC unclicked vs true", "cvr-unclicked-true", "auc", 100, 2, true),
                    new Column("CTCVR AUC", "ctcvr", "auc", 100, 2, true),
                    new Column("CTCVR GAUC", "ctcvr", "gauc", 100, 2, true),
                    new Column("CVR LogLoss clicked", "cvr-clicked", "logloss", 1, 4, false),
                    new Column("CVR bias vs true", "cvr-exposure-true", "bias", 1, 4, false));

    private final String title;
    private final List<Run> runs;
    private final Map<String, Object> provenance;
    private final List<String> arms;
    private final List<Column> columns;
    private final EvaluationSpace primary;
    private final long labelSeed;
    private final Optional<PublishedTable> published;

    /**
     * @param title the report's heading
     * @param runs at least one run; every arm with the same seeds
     * @param labelSeed the seed of the labels drawn from {@code true_cvr} for unclicked rows
     * @param provenance how the comparison was made (data, seeds, backend, command...), in order
     */
    public ComparisonReport(
            String title, List<Run> runs, long labelSeed, Map<String, Object> provenance) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("A report needs at least one run");
        }
        this.title = title;
        this.runs = List.copyOf(runs);
        this.labelSeed = labelSeed;
        this.provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        this.arms = runs.stream().map(r -> r.arm().label()).distinct().toList();
        this.columns = COLUMNS.stream().filter(c -> measured(runs.get(0), c)).toList();
        this.primary = ModelEvaluation.primarySpace(runs.get(0).report().hasGroundTruth());
        this.published = Optional.empty();
    }

    private ComparisonReport(ComparisonReport report, Optional<PublishedTable> published) {
        this.title = report.title;
        this.runs = report.runs;
        this.labelSeed = report.labelSeed;
        this.provenance = report.provenance;
        this.arms = report.arms;
        this.columns = report.columns;
        this.primary = report.primary;
        this.published = published;
    }

    /** This report with {@code table} printed beside its own figures (text, report.md, json). */
    public ComparisonReport withPublished(PublishedTable table) {
        return new ComparisonReport(this, Optional.of(table));
    }

    /** The published table shown beside this report's figures, if any. */
    public Optional<PublishedTable> published() {
        return published;
    }

    /** The report's heading. */
    public String title() {
        return title;
    }

    /** Every run, arm-major, in the order they ran. */
    public List<Run> runs() {
        return runs;
    }

    /** The arm labels, in order. */
    public List<String> arms() {
        return arms;
    }

    /** The columns the runs measured. */
    public List<Column> columns() {
        return columns;
    }

    /** How the comparison was made. */
    public Map<String, Object> provenance() {
        return provenance;
    }

    /** The space in which DeLong's test and the ROC plot compare estimators. */
    public EvaluationSpace primarySpace() {
        return primary;
    }

    private static boolean measured(Run run, Column column) {
        return run.report().values().stream()
                .anyMatch(
                        v ->
                                v.space().equals(column.space())
                                        && v.metric().equals(column.metric()));
    }

    /** The failed runs (constant predictions...), in the order they ran. */
    public List<Run> failedRuns() {
        return runs.stream().filter(Run::failed).toList();
    }

    /** The number of runs of {@code arm}, failed ones included. */
    public int runCount(String arm) {
        return (int) runs.stream().filter(r -> r.arm().label().equals(arm)).count();
    }

    /** The number of runs of {@code arm} that did not fail. */
    public int okRunCount(String arm) {
        return (int) runs.stream().filter(r -> r.arm().label().equals(arm) && !r.failed()).count();
    }

    /**
     * The values of {@code column} over the seeds of {@code arm} whose runs did not fail, in seed
     * order: a failed run is never averaged in.
     */
    public List<Double> values(String arm, Column column) {
        var out = new ArrayList<Double>();
        for (Run run : runs) {
            if (run.arm().label().equals(arm) && !run.failed()) {
                for (MetricValue v : run.report().values()) {
                    if (v.space().equals(column.space()) && v.metric().equals(column.metric())) {
                        out.add(v.value());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Mean, sample std and count of {@code column} over the runs of {@code arm} that did not fail;
     * NaN mean and std with a count of 0 when every run failed.
     */
    public SeedSummary summary(String arm, Column column) {
        List<Double> v = values(arm, column);
        if (v.isEmpty()) {
            return new SeedSummary(0, Double.NaN, Double.NaN);
        }
        return SeedSummary.of(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * A table cell: {@code mean ± std}, followed by {@code (ok/all ok)} when a run of the arm
     * failed, or {@code failed (0/all ok)} when every run did.
     */
    public String cell(String arm, Column column) {
        int all = runCount(arm);
        int ok = okRunCount(arm);
        String okCount = String.format(Locale.ROOT, "(%d/%d ok)", ok, all);
        if (ok == 0) {
            return "failed " + okCount;
        }
        String value = summary(arm, column).format(column.scale(), column.decimals());
        return ok == all ? value : value + " " + okCount;
    }

    /** The arm with the best mean AUC in the primary space, over the runs that did not fail. */
    public String best() {
        Column key = primaryColumn();
        String best = arms.get(0);
        for (String arm : arms) {
            double mean = summary(arm, key).mean();
            double bestMean = summary(best, key).mean();
            if (!Double.isNaN(mean) && (Double.isNaN(bestMean) || mean > bestMean)) {
                best = arm;
            }
        }
        return best;
    }

    private Column primaryColumn() {
        return COLUMNS.stream()
                .filter(c -> c.space().equals(primary.label()) && c.metric().equals("auc"))
                .findFirst()
                .orElseThrow();
    }

    /** DeLong's test of each arm against the best, on the first seed's predictions. */
    public Map<String, DeLongResult> deLong() {
        return deLongAgainst(best());
    }

    /**
     * DeLong's test of each other arm against {@code reference} (A = reference, B = the arm), on
     * the first seed's predictions; empty when the reference has no usable scores.
     */
    public Map<String, DeLongResult> deLongAgainst(String reference) {
        var out = new LinkedHashMap<String, DeLongResult>();
        Optional<Scores> referenceScores = scores(reference);
        if (referenceScores.isEmpty() || !deLongDefined(referenceScores.get().primary())) {
            // No test on data too small for its variance (the carried Ali-CCP sample's test
            // split has one purchase): the table then shows no p-value instead of failing.
            return out;
        }
        LabelledScores a = referenceScores.get().primary();
        for (String arm : arms) {
            if (!arm.equals(reference)) {
                scores(arm)
                        .ifPresent(
                                s ->
                                        out.put(
                                                arm,
                                                DeLong.compare(
                                                        a.scores(),
                                                        s.primary().scores(),
                                                        a.labels())));
            }
        }
        return out;
    }

    /**
     * The arm every gain is measured against: the first arm of the estimator {@code base} (the
     * naive model trained on clicked rows only), if the comparison has one.
     */
    public Optional<String> reference() {
        return runs.stream()
                .filter(r -> r.arm().estimator().equals("base"))
                .map(r -> r.arm().label())
                .findFirst();
    }

    /**
     * Each other arm's gain over the {@link #reference()} in the primary AUC: difference of the
     * means over seeds, its standard error, and DeLong's test on the first seed; empty without a
     * reference or when every run of it failed.
     */
    public Map<String, GainOverReference> gains() {
        var out = new LinkedHashMap<String, GainOverReference>();
        Optional<String> reference = reference();
        if (reference.isEmpty()) {
            return out;
        }
        Column key = primaryColumn();
        SeedSummary ref = summary(reference.get(), key);
        if (ref.runs() == 0) {
            return out;
        }
        var tests = deLongAgainst(reference.get());
        for (String arm : arms) {
            SeedSummary s = summary(arm, key);
            if (!arm.equals(reference.get()) && s.runs() > 0) {
                out.put(
                        arm,
                        new GainOverReference(
                                arm, reference.get(), s, ref, Optional.ofNullable(tests.get(arm))));
            }
        }
        return out;
    }

    /** The gains over the reference as rows of cells, the header first (AUCs x100). */
    public List<List<String>> gainRows(Map<String, GainOverReference> gains) {
        var rows = new ArrayList<List<String>>();
        String ref = gains.values().iterator().next().reference();
        rows.add(
                List.of(
                        "estimator",
                        "AUC",
                        "vs " + ref,
                        "SE",
                        "diff/SE",
                        "DeLong diff (seed 1)",
                        "p-value"));
        for (GainOverReference g : gains.values()) {
            var d = g.deLong();
            rows.add(
                    List.of(
                            g.arm(),
                            g.armSummary().format(100, 2),
                            signed(100 * g.difference(), 2),
                            definedOrDash(100 * g.standardError(), 2),
                            definedOrDash(g.standardErrors(), 1),
                            d.map(t -> signed(100 * (t.aucB() - t.aucA()), 2)).orElse("-"),
                            d.map(t -> pValue(t.pValue())).orElse("-")));
        }
        return rows;
    }

    /** The published table beside this report's figures, as rows of cells, the header first. */
    public List<List<String>> publishedRows(PublishedTable table) {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("published method", "AUC", "closest here", "ours"));
        Column key = primaryColumn();
        for (PublishedTable.Entry e : table.entries()) {
            String ours =
                    e.closest()
                            .filter(arms::contains)
                            .map(arm -> cell(arm, key))
                            .orElse(e.closest().isPresent() ? "not run" : "-");
            rows.add(List.of(e.method(), fmt(100 * e.auc(), 2), e.closest().orElse("-"), ours));
        }
        return rows;
    }

    /** The per-row scores of the first seed of {@code arm}, if kept and that run did not fail. */
    public Optional<Scores> scores(String arm) {
        return runs.stream()
                .filter(r -> r.arm().label().equals(arm) && r.scores().isPresent() && !r.failed())
                .findFirst()
                .flatMap(Run::scores);
    }

    /** Whether each class has two rows or more, so that DeLong's variance is defined. */
    static boolean deLongDefined(LabelledScores s) {
        int positives = 0;
        for (int l : s.labels()) {
            positives += l;
        }
        return positives >= 2 && s.size() - positives >= 2;
    }

    /** Whether both classes occur, so that an AUC is defined. */
    public static boolean bothClasses(LabelledScores s) {
        int positives = 0;
        for (int l : s.labels()) {
            positives += l;
        }
        return positives > 0 && positives < s.size();
    }

    /** The table as rows of cells, the header first. */
    public List<List<String>> tableRows() {
        var rows = new ArrayList<List<String>>();
        var header = new ArrayList<String>();
        header.add("estimator");
        columns.forEach(c -> header.add(c.header()));
        rows.add(header);
        for (String arm : arms) {
            var row = new ArrayList<String>();
            row.add(arm);
            for (Column c : columns) {
                row.add(cell(arm, c));
            }
            rows.add(row);
        }
        return rows;
    }

    /** DeLong's tests as rows of cells, the header first. */
    public List<List<String>> deLongRows(Map<String, DeLongResult> tests) {
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("estimator", "AUC", "AUC of best", "difference", "z", "p-value"));
        for (var e : tests.entrySet()) {
            DeLongResult d = e.getValue();
            rows.add(
                    List.of(
                            e.getKey(),
                            fmt(d.aucB(), 4),
                            fmt(d.aucA(), 4),
                            fmt(d.aucB() - d.aucA(), 4),
                            fmt(-d.z(), 2),
                            pValue(d.pValue())));
        }
        return rows;
    }

    /** The table and DeLong's tests as aligned plain text, as the console shows them. */
    public String text() {
        var sb = new StringBuilder();
        sb.append(Tables.text(tableRows()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "AUCs x100, mean ± std over %d seed(s). Spaces: clicked = clicked test exposures;"
                                + " exposure = every test exposure, unclicked labels drawn from true_cvr;"
                                + " vs true = against true_cvr itself.%n",
                        seedsPerArm()));
        for (String line : failureLines()) {
            sb.append(line).append(System.lineSeparator());
        }
        for (String line : earlyStoppingLines()) {
            sb.append(line).append(System.lineSeparator());
        }
        var tests = deLong();
        if (!tests.isEmpty()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%nDeLong's test against the best (%s) on %s AUC, first seed:%n",
                            best(),
                            primary.label()));
            sb.append(Tables.text(deLongRows(tests)));
        }
        var gains = gains();
        if (!gains.isEmpty()) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%nAgainst %s on %s AUC (x100): difference of the means over seeds, its"
                                    + " standard error sqrt(s²/n + s_%s²/n), and DeLong's test on the"
                                    + " first seed:%n",
                            reference().orElseThrow(),
                            primary.label(),
                            reference().orElseThrow()));
            sb.append(Tables.text(gainRows(gains)));
        }
        published.ifPresent(
                table -> {
                    sb.append(String.format(Locale.ROOT, "%nPublished: %s%n", table.source()));
                    sb.append(Tables.text(publishedRows(table)));
                });
        return sb.toString();
    }

    /**
     * One line per failed run, "{@code base seed 3: failed: constant predictions ...}", after a
     * heading; empty when no run failed.
     */
    public List<String> failureLines() {
        var failed = failedRuns();
        if (failed.isEmpty()) {
            return List.of();
        }
        var lines = new ArrayList<String>();
        lines.add(
                String.format(
                        Locale.ROOT,
                        "%d run(s) failed and are left out of the means:",
                        failed.size()));
        for (Run run : failed) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "- %s seed %d: failed: %s",
                            run.arm().label(),
                            run.seed(),
                            run.failure().orElseThrow()));
        }
        return lines;
    }

    /**
     * Where the runs stopped early on validation: a heading, then per arm the epoch each seed's
     * model is (1 first) of the epochs its last stage trained, "{@code - base: 3/4, 2/4}"; empty
     * when no run had validation data.
     */
    public List<String> earlyStoppingLines() {
        if (runs.stream().allMatch(r -> r.validation().epochs() == 0)) {
            return List.of();
        }
        var lines = new ArrayList<String>();
        lines.add(
                "Early stopping on validation: the epoch each seed kept / the epochs it trained:");
        for (String arm : arms) {
            var kept = new ArrayList<String>();
            for (Run run : runs) {
                if (run.arm().label().equals(arm)) {
                    kept.add(run.validation().keptEpoch() + "/" + run.validation().epochs());
                }
            }
            lines.add("- " + arm + ": " + String.join(", ", kept));
        }
        return lines;
    }

    /** The number of seeds each arm ran with. */
    public int seedsPerArm() {
        return (int) runs.stream().filter(r -> r.arm().label().equals(arms.get(0))).count();
    }

    /** Draws further plots of a report into a folder and returns their file names. */
    public interface ExtraPlots {
        /** No further plots. */
        ExtraPlots NONE = (report, folder) -> List.of();

        /** Draws into {@code folder} (the report's staging folder); returns the file names. */
        List<String> draw(ComparisonReport report, Path folder);
    }

    private static boolean isOurReportJson(String text) {
        try {
            var root = Json.GSON.fromJson(text, com.google.gson.JsonObject.class);
            return root != null
                    && root.has("format")
                    && FORMAT.equals(root.get("format").getAsString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Writes report.md, report.json and the PNG plots into {@code folder}, atomically: the folder
     * appears complete or not at all. An existing folder is replaced only when it is a report
     * folder of ours ({@link #FOLDER}); anything else there is refused, naming the path.
     *
     * @return this report, for chaining
     */
    public ComparisonReport writeReport(Path folder) {
        return writeReport(folder, ExtraPlots.NONE);
    }

    /** As {@link #writeReport(Path)}, with {@code extra}'s plots drawn into the folder too. */
    public ComparisonReport writeReport(Path folder, ExtraPlots extra) {
        AtomicFolders.requireReplaceable(folder, FOLDER);
        Path staging = AtomicFolders.stagingFolder(folder);
        try {
            var images = plots(staging);
            images.addAll(extra.draw(this, staging));
            AtomicFolders.writeString(staging.resolve("report.md"), markdown(images));
            AtomicFolders.writeString(staging.resolve("report.json"), Json.write(json()));
        } catch (RuntimeException e) {
            AtomicFolders.discard(staging);
            throw e;
        }
        AtomicFolders.publish(staging, folder, FOLDER);
        return this;
    }

    private List<String> plots(Path folder) {
        var images = new ArrayList<String>();
        var bars = new LinkedHashMap<String, double[][]>();
        for (Column c : columns) {
            if (!c.metric().equals("auc") && !c.metric().equals("gauc")) {
                continue;
            }
            double[] mean = new double[arms.size()];
            double[] std = new double[arms.size()];
            for (int i = 0; i < arms.size(); i++) {
                SeedSummary s = summary(arms.get(i), c);
                mean[i] = Double.isFinite(s.mean()) ? s.mean() : 0; // every run failed: no bar
                std[i] = Double.isFinite(s.std()) ? s.std() : 0;
            }
            bars.put(c.header(), new double[][] {mean, std});
        }
        Plots.barsWithErrors(
                folder.resolve("auc.png"),
                "AUC by estimator (mean ± std over seeds)",
                "AUC",
                arms,
                bars);
        images.add("auc.png");

        var roc = new ArrayList<Plots.Line>();
        var calibration = new ArrayList<Plots.Line>();
        for (String arm : arms) {
            scores(arm)
                    .ifPresent(
                            s -> {
                                LabelledScores sel = s.primary();
                                if (bothClasses(sel)) {
                                    RocCurve curve =
                                            RocCurve.of(sel.scores(), sel.labels()).thin(400);
                                    roc.add(
                                            new Plots.Line(
                                                    arm,
                                                    curve.falsePositiveRate(),
                                                    curve.truePositiveRate()));
                                }
                                CalibrationTable table =
                                        s.againstTruth().isPresent()
                                                ? Calibration.soft(
                                                        s.againstTruth().get().scores(),
                                                        s.againstTruth().get().probabilities(),
                                                        10,
                                                        Binning.EQUAL_MASS)
                                                : Calibration.binary(
                                                        sel.scores(),
                                                        sel.labels(),
                                                        10,
                                                        Binning.EQUAL_MASS);
                                double[] x =
                                        table.bins().stream()
                                                .mapToDouble(b -> b.meanPredicted())
                                                .toArray();
                                double[] y =
                                        table.bins().stream()
                                                .mapToDouble(b -> b.observedRate())
                                                .toArray();
                                calibration.add(new Plots.Line(arm, x, y));
                            });
        }
        if (!roc.isEmpty()) {
            Plots.lines(
                    folder.resolve("roc.png"),
                    "ROC of pCVR, " + primary.label() + " (first seed)",
                    "false positive rate",
                    "true positive rate",
                    roc,
                    true,
                    false);
            images.add("roc.png");
        }
        if (!calibration.isEmpty()) {
            boolean truth = runs.get(0).report().hasGroundTruth();
            Plots.lines(
                    folder.resolve("calibration.png"),
                    truth
                            ? "Calibration of pCVR on every exposure vs true_cvr (first seed)"
                            : "Calibration of pCVR on clicked exposures (first seed)",
                    "mean predicted CVR (equal-mass bins)",
                    truth ? "mean true CVR" : "observed conversion rate",
                    calibration,
                    true,
                    true);
            images.add("calibration.png");
        }
        return images;
    }

    private String markdown(List<String> images) {
        var sb = new StringBuilder();
        sb.append("# ").append(title).append("\n\n");
        sb.append(Tables.markdown(tableRows())).append('\n');
        sb.append(
                String.format(
                        Locale.ROOT,
                        "AUCs are x100, mean ± sample std over %d seed(s). Every metric names its evaluation space:"
                                + " *clicked* = clicked test exposures with their conversion labels;"
                                + " *exposure* = every test exposure, with observed labels where clicked and labels"
                                + " drawn from `true_cvr` (label seed %d) where not; *vs true* = against `true_cvr`"
                                + " itself as a soft label; CTCVR = pCTR x pCVR against click and conversion.%n%n",
                        seedsPerArm(),
                        labelSeed));
        var failures = failureLines();
        if (!failures.isEmpty()) {
            failures.forEach(line -> sb.append(line).append('\n'));
            sb.append('\n');
        }
        var stopped = earlyStoppingLines();
        if (!stopped.isEmpty()) {
            stopped.forEach(line -> sb.append(line).append('\n'));
            sb.append('\n');
        }
        var tests = deLong();
        if (!tests.isEmpty()) {
            sb.append("## DeLong's test against the best estimator\n\n");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "Best by mean %s AUC: **%s**. Two-sided test of correlated AUCs on the first seed's"
                                    + " predictions of the same test rows.%n%n",
                            primary.label(),
                            best()));
            sb.append(Tables.markdown(deLongRows(tests))).append('\n');
        }
        var gains = gains();
        if (!gains.isEmpty()) {
            String ref = reference().orElseThrow();
            sb.append("## Against ").append(ref).append("\n\n");
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s AUC x100. *vs %s* = difference of the means over seeds; *SE* ="
                                    + " sqrt(s²/n + s_%s²/n); DeLong's test of the two AUCs on the"
                                    + " first seed's predictions of the same test rows.%n%n",
                            primary.label(),
                            ref,
                            ref));
            sb.append(Tables.markdown(gainRows(gains))).append('\n');
        }
        if (published.isPresent()) {
            sb.append("## Published results on the same protocol\n\n");
            sb.append(published.get().source()).append("\n\n");
            sb.append(Tables.markdown(publishedRows(published.get()))).append('\n');
        }
        sb.append("## Plots\n\n");
        for (String image : images) {
            sb.append("![").append(image).append("](").append(image).append(")\n\n");
        }
        sb.append("## How this was made\n\n");
        for (var e : provenance.entrySet()) {
            sb.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    /** The content of report.json, as maps and lists in a stable order. */
    public Map<String, Object> json() {
        var root = new LinkedHashMap<String, Object>();
        root.put("format", FORMAT);
        root.put("title", title);
        root.put("provenance", provenance);
        var summary = new LinkedHashMap<String, Object>();
        for (String arm : arms) {
            var row = new LinkedHashMap<String, Object>();
            for (Column c : columns) {
                SeedSummary s = summary(arm, c);
                var cell = new LinkedHashMap<String, Object>();
                cell.put("mean", s.mean());
                cell.put("std", s.std());
                cell.put("runs", s.runs());
                cell.put("failed", runCount(arm) - s.runs());
                row.put(c.space() + "/" + c.metric(), cell);
            }
            summary.put(arm, row);
        }
        root.put("summary", summary);
        var tests = new LinkedHashMap<String, Object>();
        deLong().forEach(
                        (arm, d) ->
                                tests.put(
                                        arm,
                                        Map.of(
                                                "auc", d.aucB(),
                                                "bestAuc", d.aucA(),
                                                "z", d.z(),
                                                "pValue", d.pValue())));
        root.put("deLong", Map.of("best", best(), "space", primary.label(), "tests", tests));
        var gains = gains();
        if (!gains.isEmpty()) {
            var byArm = new LinkedHashMap<String, Object>();
            gains.forEach(
                    (arm, g) -> {
                        var row = new LinkedHashMap<String, Object>();
                        row.put("mean", g.armSummary().mean());
                        row.put("std", g.armSummary().std());
                        row.put("runs", g.armSummary().runs());
                        row.put("meanDifference", g.difference());
                        row.put("standardError", g.standardError());
                        row.put("standardErrors", g.standardErrors());
                        g.deLong()
                                .ifPresent(
                                        d -> {
                                            var t = new LinkedHashMap<String, Object>();
                                            t.put("auc", d.aucB());
                                            t.put("referenceAuc", d.aucA());
                                            t.put("z", d.z());
                                            t.put("pValue", d.pValue());
                                            row.put("deLong", t);
                                        });
                        byArm.put(arm, row);
                    });
            var against = new LinkedHashMap<String, Object>();
            against.put("reference", reference().orElseThrow());
            against.put("space", primary.label());
            against.put("gains", byArm);
            root.put("againstReference", against);
        }
        published.ifPresent(
                table -> {
                    var entries = new ArrayList<Object>();
                    Column key = primaryColumn();
                    for (PublishedTable.Entry e : table.entries()) {
                        var row = new LinkedHashMap<String, Object>();
                        row.put("method", e.method());
                        row.put("auc", e.auc());
                        e.closest()
                                .ifPresent(
                                        arm -> {
                                            row.put("closest", arm);
                                            if (arms.contains(arm)) {
                                                SeedSummary s = summary(arm, key);
                                                var ours = new LinkedHashMap<String, Object>();
                                                ours.put("mean", s.mean());
                                                ours.put("std", s.std());
                                                ours.put("runs", s.runs());
                                                row.put("ours", ours);
                                            }
                                        });
                        entries.add(row);
                    }
                    var publishedJson = new LinkedHashMap<String, Object>();
                    publishedJson.put("source", table.source());
                    publishedJson.put("entries", entries);
                    root.put("published", publishedJson);
                });
        var all = new ArrayList<Object>();
        for (Run run : runs) {
            var r = new LinkedHashMap<String, Object>();
            r.put("estimator", run.arm().label());
            r.put("name", run.arm().estimator());
            r.put("settings", run.arm().settings());
            r.put("seed", run.seed());
            r.put("trainSeconds", run.trainSeconds());
            r.put("status", run.failed() ? "failed" : "ok");
            run.failure().ifPresent(reason -> r.put("failure", reason));
            var metrics = new LinkedHashMap<String, Double>();
            for (MetricValue v : run.report().values()) {
                metrics.put(v.space() + "/" + v.metric(), v.value());
            }
            r.put("metrics", metrics);
            if (run.validation().epochs() > 0) {
                var validation = new LinkedHashMap<String, Object>();
                validation.put("epochKept", run.validation().keptEpoch());
                validation.put("epochsTrained", run.validation().epochs());
                validation.put("scores", run.validation().scores());
                r.put("validation", validation);
            }
            r.put("provenance", provenanceJson(run));
            all.add(r);
        }
        root.put("runs", all);
        return root;
    }

    /** A run's model provenance and training data, as report.json records them. */
    private static Map<String, Object> provenanceJson(Run run) {
        var p = run.provenance();
        var out = new LinkedHashMap<String, Object>();
        out.put("estimator", p.estimator());
        out.put("estimatorConfig", new java.util.TreeMap<>(p.estimatorConfig()));
        out.put("backend", p.backend());
        out.put("backendConfig", new java.util.TreeMap<>(p.backendConfig()));
        out.put("seed", p.seed());
        var data = new LinkedHashMap<String, Object>();
        data.put("description", run.trainingData().description());
        data.put("rows", run.trainingData().rows());
        data.put("fingerprint", p.dataFingerprint());
        out.put("trainingData", data);
        out.put("schema", p.schema());
        out.put("libraryVersion", p.libraryVersion());
        out.put("createdAt", p.createdAt());
        return out;
    }

    private static String signed(double v, int decimals) {
        return String.format(Locale.ROOT, "%+." + decimals + "f", v);
    }

    private static String pValue(double p) {
        return p < 1e-4 ? String.format(Locale.ROOT, "%.1e", p) : fmt(p, 4);
    }

    /** {@code v} to {@code decimals}, or "-" where it is undefined (NaN or infinite). */
    private static String definedOrDash(double v, int decimals) {
        return Double.isFinite(v) ? fmt(v, decimals) : "-";
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
