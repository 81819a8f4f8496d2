package org.causalcvr.experiments.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.io.FolderKind;
import org.causalcvr.experiments.CodeVersion;
import org.causalcvr.experiments.plot.Plots;
import org.causalcvr.experiments.report.Json;
import org.causalcvr.experiments.report.Tables;
import org.causalcvr.metrics.DeLongResult;
import org.causalcvr.metrics.SeedSummary;

/**
 * A study's results: per world and estimator the AUC against the true CVR, the bias of the mean
 * pCVR, DeLong's tests against the baseline and the AUC by popularity bucket; written as a report
 * folder (report.md with the tables and each world's expectation, report.json with every seed's
 * figure, and PNG plots).
 */
public final class StudyReport {
    /** The {@code format} of a study's report.json. */
    public static final String FORMAT = "causal-cvr-study";

    /** Significance level of the "seeds above/below the baseline" counts. */
    public static final double ALPHA = 0.05;

    /** A study folder: report.md, report.json (with {@link #FORMAT}) and PNG plots. */
    public static final FolderKind FOLDER =
            FolderKind.marked(
                    "causal-cvr study folder",
                    "report.json",
                    StudyReport::isOurs,
                    name ->
                            name.equals("report.md")
                                    || name.equals("report.json")
                                    || name.endsWith(".png"));

    private final String title;
    private final List<String> references;
    private final List<WorldOutcome> worlds;

    /**
     * @param references the arms every other was tested against, the baseline first
     */
    public StudyReport(String title, List<String> references, List<WorldOutcome> worlds) {
        this.title = title;
        this.references = List.copyOf(references);
        this.worlds = List.copyOf(worlds);
    }

    public String title() {
        return title;
    }

    /** The arm the table's first test column compares with. */
    public String baseline() {
        return references.get(0);
    }

    /** The arms every other was tested against. */
    public List<String> references() {
        return references;
    }

    public List<WorldOutcome> worlds() {
        return worlds;
    }

    private static boolean isOurs(String text) {
        try {
            var root = Json.GSON.fromJson(text, com.google.gson.JsonObject.class);
            return root != null
                    && root.has("format")
                    && FORMAT.equals(root.get("format").getAsString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The table of one world: a header row, then one row per estimator. */
    public List<List<String>> tableRows(WorldOutcome w) {
        var rows = new ArrayList<List<String>>();
        boolean stopped = w.arms().stream().anyMatch(ArmOutcome::stoppedEarly);
        var header =
                new ArrayList<>(List.of("estimator", "runs", "AUC vs true CVR", "bias of mean"));
        boolean chosen = w.arms().stream().anyMatch(a -> a.choice().isPresent());
        if (chosen) {
            header.add("chosen on validation");
        }
        if (stopped) {
            header.add("epoch kept");
        }
        for (String reference : references) {
            header.add("vs " + reference + ": Δ AUC, median p, seeds >/<");
            header.add("vs " + reference + " over seeds: Δ AUC vs true CVR, paired t p");
        }
        for (PopularityBuckets b : w.buckets()) {
            for (int k = 0; k < b.size(); k++) {
                header.add(b.field() + " " + b.name(k));
            }
        }
        rows.add(header);
        for (ArmOutcome a : w.arms()) {
            var row = new ArrayList<String>();
            row.add(a.arm());
            row.add(a.seeds().size() + (a.failed() > 0 ? " (+" + a.failed() + " failed)" : ""));
            row.add(cell(a.aucSummary(), 2));
            row.add(cell(a.biasSummary(), 3));
            if (chosen) {
                row.add(a.choice().map(SettingChoice::chosenText).orElse("-"));
            }
            if (stopped) {
                row.add(epochs(a));
            }
            for (String reference : references) {
                var tests = a.tests(reference);
                row.add(
                        tests.isEmpty()
                                ? "-"
                                : String.format(
                                        Locale.ROOT,
                                        "%+.2f ± %.2f, p %s, %d/%d",
                                        100
                                                * tests.stream()
                                                        .mapToDouble(DeLongResult::difference)
                                                        .average()
                                                        .orElseThrow(),
                                        100
                                                * ArmOutcome.summary(
                                                                tests.stream()
                                                                        .mapToDouble(
                                                                                DeLongResult
                                                                                        ::difference)
                                                                        .toArray())
                                                        .std(),
                                        p(a.medianP(reference)),
                                        a.seedsSignificantlyAbove(reference, ALPHA),
                                        a.seedsSignificantlyBelow(reference, ALPHA)));
                row.add(
                        w.pairedOverSeeds(a.arm(), reference)
                                .map(
                                        t ->
                                                String.format(
                                                        Locale.ROOT,
                                                        "%+.2f ± %.2f, p %s",
                                                        100 * t.meanDifference(),
                                                        100 * t.stdDifference(),
                                                        p(t.pValue())))
                                .orElse("-"));
            }
            for (PopularityBuckets b : w.buckets()) {
                for (int k = 0; k < b.size(); k++) {
                    row.add(b.rows()[k] == 0 ? "-" : cell(a.bucketSummary(b.field(), k), 2));
                }
            }
            rows.add(row);
        }
        for (OracleOutcome o : w.oracles()) {
            var row = new ArrayList<String>();
            row.add(o.name());
            row.add("oracle");
            row.add(String.format(Locale.ROOT, "%.2f", 100 * o.auc()));
            row.add(String.format(Locale.ROOT, "%.3f", 100 * o.bias()));
            while (row.size() < header.size() - bucketColumns(w)) {
                row.add("-");
            }
            for (PopularityBuckets b : w.buckets()) {
                double[] v = o.bucketAuc().get(b.field());
                for (int k = 0; k < b.size(); k++) {
                    row.add(
                            v == null || !Double.isFinite(v[k])
                                    ? "-"
                                    : String.format(Locale.ROOT, "%.2f", 100 * v[k]));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    private static int bucketColumns(WorldOutcome w) {
        return w.buckets().stream().mapToInt(PopularityBuckets::size).sum();
    }

    /** The epochs early stopping kept, seed by seed, such as {@code 2, 1, 2, 3, 2}. */
    private static String epochs(ArmOutcome a) {
        if (!a.stoppedEarly()) {
            return "-";
        }
        var parts = new ArrayList<String>();
        for (int e : a.bestEpoch()) {
            parts.add(Integer.toString(e));
        }
        return String.join(", ", parts);
    }

    private static String cell(SeedSummary s, int decimals) {
        return s.runs() == 0 ? "-" : s.format(100, decimals);
    }

    private static String p(double p) {
        if (Double.isNaN(p)) {
            return "-";
        }
        return p < 1e-4
                ? String.format(Locale.ROOT, "%.1e", p)
                : String.format(Locale.ROOT, "%.4f", p);
    }

    /** The tables as aligned plain text, as a console shows them. */
    public String text() {
        var sb = new StringBuilder(title).append('\n');
        for (WorldOutcome w : worlds) {
            sb.append('\n').append(w.world().label()).append('\n');
            sb.append(Tables.text(tableRows(w)));
        }
        sb.append(legend());
        return sb.toString();
    }

    private String legend() {
        return String.format(
                Locale.ROOT,
                "%nAUC vs true CVR: pCVR on every test exposure against true_cvr (soft labels), %%,"
                        + " mean ± std over seeds. Bias of mean: mean pCVR - mean true_cvr, %%"
                        + " points. vs X: DeLong's test against X's run with the same seed, on every"
                        + " exposure with conversions drawn from true_cvr where unclicked: mean ± std"
                        + " of the AUC difference (%%), median p over seeds, and the seeds"
                        + " significantly above / below X at p < %.2f. vs X over seeds: the AUC vs"
                        + " true CVR minus X's, run by run with the same seed (mean ± std over"
                        + " seeds, %%), and Student's paired t-test over the seeds (two-sided), which"
                        + " sees the randomness of training that a test of one pair of models"
                        + " does not. Buckets: test rows by the"
                        + " training clicks of their user or item, in about equal thirds (tail ="
                        + " least clicked); AUC vs true CVR inside the bucket.%s%s%n",
                ALPHA,
                worlds.stream().flatMap(w -> w.arms().stream()).anyMatch(ArmOutcome::stoppedEarly)
                        ? " Epoch kept: per seed, the epoch whose parameters early stopping kept, by"
                                + " the score on the world's validation sample (a disjoint sample of"
                                + " the same world, never the test sample)."
                        : "",
                worlds.stream().anyMatch(w -> !w.oracles().isEmpty())
                        ? " Oracle rows: scores no estimator trained, computed by the world from"
                                + " what generated each test row: "
                                + String.join(
                                        " ",
                                        worlds.stream()
                                                .flatMap(w -> w.oracles().stream())
                                                .map(o -> o.name() + ": " + o.meaning())
                                                .distinct()
                                                .toList())
                        : "");
    }

    /** The report as Markdown: per world its expectation, its table and its buckets. */
    public String markdown(List<String> images) {
        var sb = new StringBuilder("# ").append(title).append("\n\n");
        for (String image : images) {
            sb.append("![").append(image).append("](").append(image).append(")\n\n");
        }
        for (WorldOutcome w : worlds) {
            sb.append("## ").append(w.world().label()).append("\n\n");
            if (!w.world().expectation().isEmpty()) {
                sb.append("**Theory:** ").append(w.world().expectation()).append("\n\n");
            }
            sb.append(Tables.markdown(tableRows(w))).append('\n');
            for (ArmOutcome a : w.arms()) {
                a.choice()
                        .ifPresent(
                                c -> {
                                    var parts = new ArrayList<String>();
                                    c.scoreBySettings()
                                            .forEach(
                                                    (v, score) ->
                                                            parts.add(
                                                                    "("
                                                                            + v
                                                                            + ") "
                                                                            + String.format(
                                                                                    Locale.ROOT,
                                                                                    "%.4f",
                                                                                    score)));
                                    sb.append("- ")
                                            .append(a.arm())
                                            .append(": on validation (")
                                            .append(c.score())
                                            .append(
                                                    c.seeds().size() == 1
                                                            ? ""
                                                            : ", mean over seeds " + c.seeds())
                                            .append(") ")
                                            .append(String.join("; ", parts))
                                            .append(" -> ")
                                            .append(c.chosenText())
                                            .append('\n');
                                });
            }
            for (PopularityBuckets b : w.buckets()) {
                sb.append("- ").append(b.field()).append(" buckets: ");
                var parts = new ArrayList<String>();
                for (int k = 0; k < b.size(); k++) {
                    parts.add(b.name(k) + " " + b.label(k) + " (" + b.rows()[k] + " rows)");
                }
                sb.append(String.join(", ", parts)).append('\n');
            }
            sb.append('\n');
        }
        sb.append(legend().trim()).append("\n\n");
        sb.append("Library: causal-cvr ")
                .append(CodeVersion.current())
                .append("; machine: ")
                .append(CodeVersion.machine())
                .append('\n');
        return sb.toString();
    }

    /** Every figure, seed by seed, as a JSON tree. */
    public Map<String, Object> json() {
        var root = new LinkedHashMap<String, Object>();
        root.put("format", FORMAT);
        root.put("title", title);
        root.put("baseline", baseline());
        root.put("references", references);
        root.put("library", "causal-cvr " + CodeVersion.current());
        root.put("machine", CodeVersion.machine());
        var list = new ArrayList<Object>();
        for (WorldOutcome w : worlds) {
            var world = new LinkedHashMap<String, Object>();
            world.put("label", w.world().label());
            world.put("expectation", w.world().expectation());
            world.put("provenance", w.comparison().provenance());
            var buckets = new LinkedHashMap<String, Object>();
            for (PopularityBuckets b : w.buckets()) {
                var each = new ArrayList<Object>();
                for (int k = 0; k < b.size(); k++) {
                    each.add(
                            Map.of(
                                    "name", b.name(k),
                                    "lowestClicks", b.lowestClicks()[k],
                                    "highestClicks", b.highestClicks()[k],
                                    "rows", b.rows()[k]));
                }
                buckets.put(b.field(), each);
            }
            world.put("buckets", buckets);
            var arms = new ArrayList<Object>();
            for (ArmOutcome a : w.arms()) {
                var arm = new LinkedHashMap<String, Object>();
                arm.put("arm", a.arm());
                arm.put("seeds", a.seeds());
                arm.put("failedRuns", a.failed());
                arm.put("aucVsTrueCvr", summary(a.aucSummary(), a.auc()));
                arm.put("biasOfMean", summary(a.biasSummary(), a.bias()));
                a.choice()
                        .ifPresent(
                                c -> {
                                    var choice = new LinkedHashMap<String, Object>();
                                    choice.put("chosen", c.chosen());
                                    choice.put("score", c.score());
                                    choice.put("validationScoreBySettings", c.scoreBySettings());
                                    choice.put("seeds", c.seeds());
                                    arm.put("chosenOnValidation", choice);
                                });
                if (a.stoppedEarly()) {
                    arm.put("epochKept", a.bestEpoch());
                    arm.put("epochsTrained", a.epochsTrained());
                }
                var deLong = new LinkedHashMap<String, Object>();
                for (String reference : references) {
                    var tests = new ArrayList<Object>();
                    var bySeed = a.deLong().get(reference);
                    for (int s = 0; s < a.seeds().size(); s++) {
                        var t = bySeed.get(s);
                        if (t.isPresent()) {
                            tests.add(
                                    Map.of(
                                            "seed", a.seeds().get(s),
                                            "auc", t.get().aucA(),
                                            "referenceAuc", t.get().aucB(),
                                            "difference", t.get().difference(),
                                            "z", t.get().z(),
                                            "p", t.get().pValue()));
                        }
                    }
                    if (tests.isEmpty()) {
                        continue;
                    }
                    var entry = new LinkedHashMap<String, Object>();
                    entry.put("seeds", tests);
                    entry.put("medianP", a.medianP(reference));
                    entry.put(
                            "seedsSignificantlyAbove", a.seedsSignificantlyAbove(reference, ALPHA));
                    entry.put(
                            "seedsSignificantlyBelow", a.seedsSignificantlyBelow(reference, ALPHA));
                    deLong.put(reference, entry);
                }
                arm.put("deLong", deLong);
                var paired = new LinkedHashMap<String, Object>();
                for (String reference : references) {
                    w.pairedOverSeeds(a.arm(), reference)
                            .ifPresent(
                                    t -> {
                                        var entry = new LinkedHashMap<String, Object>();
                                        entry.put("pairs", t.pairs());
                                        entry.put("meanDifference", t.meanDifference());
                                        entry.put("stdDifference", t.stdDifference());
                                        entry.put("t", t.t());
                                        entry.put("degreesOfFreedom", t.degreesOfFreedom());
                                        entry.put("p", t.pValue());
                                        paired.put(reference, entry);
                                    });
                }
                arm.put("pairedOverSeeds", paired);
                var byField = new LinkedHashMap<String, Object>();
                for (PopularityBuckets b : w.buckets()) {
                    var each = new ArrayList<Object>();
                    for (int k = 0; k < b.size(); k++) {
                        each.add(
                                summary(
                                        a.bucketSummary(b.field(), k),
                                        a.bucketAuc().get(b.field())[k]));
                    }
                    byField.put(b.field(), each);
                }
                arm.put("bucketAucVsTrueCvr", byField);
                arms.add(arm);
            }
            world.put("estimators", arms);
            var oracles = new ArrayList<Object>();
            for (OracleOutcome o : w.oracles()) {
                var oracle = new LinkedHashMap<String, Object>();
                oracle.put("name", o.name());
                oracle.put("meaning", o.meaning());
                oracle.put("aucVsTrueCvr", o.auc());
                oracle.put("biasOfMean", o.bias());
                oracle.put("bucketAucVsTrueCvr", new LinkedHashMap<>(o.bucketAuc()));
                oracles.add(oracle);
            }
            if (!oracles.isEmpty()) {
                world.put("oracles", oracles);
            }
            list.add(world);
        }
        root.put("worlds", list);
        return root;
    }

    private static Map<String, Object> summary(SeedSummary s, double[] values) {
        var m = new LinkedHashMap<String, Object>();
        m.put("mean", s.mean());
        m.put("std", s.std());
        m.put("values", values);
        return m;
    }

    /**
     * Writes report.md, report.json and the plots into {@code folder} atomically; an existing
     * folder is replaced only when it is a study folder of ours.
     */
    public StudyReport writeReport(Path folder) {
        AtomicFolders.requireReplaceable(folder, FOLDER);
        Path staging = AtomicFolders.stagingFolder(folder);
        try {
            var images = plots(staging);
            AtomicFolders.writeString(staging.resolve("report.md"), markdown(images));
            AtomicFolders.writeString(staging.resolve("report.json"), Json.write(json()));
        } catch (RuntimeException e) {
            AtomicFolders.discard(staging);
            throw e;
        }
        AtomicFolders.publish(staging, folder, FOLDER);
        return this;
    }

    /** The estimators, in the first world's order. */
    private List<String> armNames() {
        return namesInOrder(w -> w.arms().stream().map(ArmOutcome::arm).toList());
    }

    /** The oracles' names, in the first world's order. */
    private List<String> oracleNames() {
        return namesInOrder(w -> w.oracles().stream().map(OracleOutcome::name).toList());
    }

    /** The names {@code of} each world gives, each once, in the order they first appear. */
    private List<String> namesInOrder(Function<WorldOutcome, List<String>> of) {
        var names = new LinkedHashSet<String>();
        for (WorldOutcome w : worlds) {
            names.addAll(of.apply(w));
        }
        return List.copyOf(names);
    }

    private List<String> plots(Path folder) {
        var images = new ArrayList<String>();
        List<String> categories = worlds.stream().map(w -> w.world().label()).toList();
        var series = new LinkedHashMap<String, double[][]>();
        for (String arm : armNames()) {
            double[] mean = new double[worlds.size()];
            double[] std = new double[worlds.size()];
            for (int i = 0; i < worlds.size(); i++) {
                var a = worlds.get(i).arm(arm);
                SeedSummary s =
                        a.map(ArmOutcome::aucSummary)
                                .orElse(new SeedSummary(0, Double.NaN, Double.NaN));
                mean[i] = s.mean();
                std[i] = s.std();
            }
            series.put(arm, new double[][] {mean, std});
        }
        for (String oracle : oracleNames()) {
            double[] value = new double[worlds.size()];
            for (int i = 0; i < worlds.size(); i++) {
                value[i] =
                        worlds.get(i).oracles().stream()
                                .filter(o -> o.name().equals(oracle))
                                .mapToDouble(OracleOutcome::auc)
                                .findFirst()
                                .orElse(Double.NaN);
            }
            series.put(oracle, new double[][] {value, new double[worlds.size()]});
        }
        Plots.barsWithErrors(
                folder.resolve("study.png"),
                "Exposure-space CVR AUC against the true CVR, per world",
                "AUC vs true CVR (mean ± std over seeds)",
                categories,
                series);
        images.add("study.png");
        if (worlds.isEmpty() || worlds.get(0).buckets().isEmpty()) {
            return images;
        }
        for (PopularityBuckets first : worlds.get(0).buckets()) {
            String field = first.field();
            var cats = new ArrayList<String>();
            for (WorldOutcome w : worlds) {
                for (int k = 0; k < first.size(); k++) {
                    cats.add(w.world().label() + " " + first.name(k));
                }
            }
            var bars = new LinkedHashMap<String, double[][]>();
            for (String arm : armNames()) {
                double[] mean = new double[cats.size()];
                double[] std = new double[cats.size()];
                int i = 0;
                for (WorldOutcome w : worlds) {
                    for (int k = 0; k < first.size(); k++, i++) {
                        var a = w.arm(arm);
                        SeedSummary s =
                                a.isPresent() && a.get().bucketAuc().containsKey(field)
                                        ? a.get().bucketSummary(field, k)
                                        : new SeedSummary(0, Double.NaN, Double.NaN);
                        mean[i] = s.mean();
                        std[i] = s.std();
                    }
                }
                bars.put(arm, new double[][] {mean, std});
            }
            for (String oracle : oracleNames()) {
                double[] value = new double[cats.size()];
                int i = 0;
                for (WorldOutcome w : worlds) {
                    double[] v =
                            w.oracles().stream()
                                    .filter(o -> o.name().equals(oracle))
                                    .map(o -> o.bucketAuc().get(field))
                                    .filter(java.util.Objects::nonNull)
                                    .findFirst()
                                    .orElse(null);
                    for (int k = 0; k < first.size(); k++, i++) {
                        value[i] = v == null ? Double.NaN : v[k];
                    }
                }
                bars.put(oracle, new double[][] {value, new double[cats.size()]});
            }
            String name = "buckets-" + field.replaceAll("[^A-Za-z0-9_-]", "_") + ".png";
            Plots.barsWithErrors(
                    folder.resolve(name),
                    "AUC vs true CVR by " + field + " click frequency (tail = least clicked)",
                    "AUC vs true CVR in the bucket",
                    cats,
                    bars);
            images.add(name);
        }
        return images;
    }
}
