package org.causalcvr.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The metrics of one model on one data set in every applicable {@link EvaluationSpace}, each
 * computed over the whole data (never averaged over batches).
 *
 * @param rows exposures evaluated
 * @param hasGroundTruth whether the data carried true_cvr (so ground-truth spaces exist)
 * @param hasGroups whether the data carried group ids (so GAUC, Recall@K, NDCG@K exist)
 * @param options the options used
 * @param spaces one report per computed space, in the enum's order
 */
public record EvaluationReport(
        long rows,
        boolean hasGroundTruth,
        boolean hasGroups,
        EvaluationOptions options,
        List<SpaceReport> spaces) {
    public EvaluationReport {
        spaces = List.copyOf(spaces);
    }

    /** The report of {@code space}, if it was computed. */
    public Optional<SpaceReport> space(EvaluationSpace space) {
        return spaces.stream().filter(s -> s.space() == space).findFirst();
    }

    /**
     * The prediction inaccuracy P of eq. 1 in expectation over the labels: {@code (1/|D|) Σ_D
     * CE(true_cvr, pCVR)} (the log loss in {@link EvaluationSpace#CVR_EXPOSURE_TRUE}); empty
     * without ground truth.
     */
    public OptionalDouble predictionInaccuracy() {
        return space(EvaluationSpace.CVR_EXPOSURE_TRUE)
                .map(s -> OptionalDouble.of(s.logLoss()))
                .orElse(OptionalDouble.empty());
    }

    /**
     * P of eq. 1 with one draw of the labels: {@code (1/|D|) Σ_D CE(r, pCVR)}, r observed where
     * clicked and drawn where not (the log loss in {@link EvaluationSpace#CVR_EXPOSURE}).
     */
    public OptionalDouble predictionInaccuracyDrawn() {
        return space(EvaluationSpace.CVR_EXPOSURE)
                .map(s -> OptionalDouble.of(s.logLoss()))
                .orElse(OptionalDouble.empty());
    }

    /** Every number in long form: (space, metric, value). */
    public List<MetricValue> values() {
        var out = new ArrayList<MetricValue>();
        for (SpaceReport s : spaces) {
            String name = s.space().label();
            out.add(new MetricValue(name, "rows", s.rows()));
            out.add(new MetricValue(name, "positives", s.positives()));
            out.add(new MetricValue(name, "auc", s.auc()));
            s.groups()
                    .ifPresent(
                            g -> {
                                out.add(new MetricValue(name, "gauc", g.gauc()));
                                out.add(new MetricValue(name, "gauc-groups", g.gaucGroups()));
                                out.add(
                                        new MetricValue(
                                                name,
                                                "gauc-skipped-one-class",
                                                g.skippedOneClass()));
                                out.add(new MetricValue(name, "recall@" + g.k(), g.recallAtK()));
                                out.add(new MetricValue(name, "ndcg@" + g.k(), g.ndcgAtK()));
                            });
            out.add(new MetricValue(name, "logloss", s.logLoss()));
            out.add(new MetricValue(name, "ece", s.ece()));
            out.add(new MetricValue(name, "mean-predicted", s.meanPredicted()));
            out.add(new MetricValue(name, "observed-rate", s.observedRate()));
            s.bias().ifPresent(b -> out.add(new MetricValue(name, "bias", b)));
        }
        return out;
    }

    /** {@link #values()} as tab-separated {@code space metric value} lines with a header. */
    public String toTsv() {
        var out = new StringBuilder("space\tmetric\tvalue\n");
        for (MetricValue v : values()) {
            out.append(v.space())
                    .append('\t')
                    .append(v.metric())
                    .append('\t')
                    .append(String.format(Locale.ROOT, "%.10g", v.value()))
                    .append('\n');
        }
        return out.toString();
    }

    /**
     * A text table with one line per space, the space named first, and a legend of the spaces
     * below; what this module's CLI command prints.
     */
    public String toTable() {
        var lines = new ArrayList<List<String>>();
        var header = new ArrayList<>(List.of("space", "rows", "positives", "AUC"));
        if (hasGroups) {
            header.addAll(
                    List.of(
                            "GAUC",
                            "groups used/skipped",
                            "Recall@" + options.k(),
                            "NDCG@" + options.k()));
        }
        header.addAll(List.of("LogLoss", "ECE", "mean pred", "observed"));
        if (hasGroundTruth) {
            header.add("bias");
        }
        lines.add(header);
        for (SpaceReport s : spaces) {
            var line = new ArrayList<String>();
            line.add(s.space().label());
            line.add(Long.toString(s.rows()));
            line.add(
                    s.space().softLabels()
                            ? String.format(Locale.ROOT, "%.1f", s.positives())
                            : Long.toString((long) s.positives()));
            line.add(number(s.auc()));
            if (hasGroups) {
                if (s.groups().isPresent()) {
                    GroupReport g = s.groups().get();
                    line.add(number(g.gauc()));
                    line.add(g.gaucGroups() + "/" + g.skippedOneClass());
                    line.add(number(g.recallAtK()));
                    line.add(number(g.ndcgAtK()));
                } else {
                    line.addAll(List.of("-", "-", "-", "-"));
                }
            }
            line.add(number(s.logLoss()));
            line.add(number(s.ece()));
            line.add(number(s.meanPredicted()));
            line.add(number(s.observedRate()));
            if (hasGroundTruth) {
                line.add(s.bias().isPresent() ? signed(s.bias().getAsDouble()) : "-");
            }
            lines.add(line);
        }
        var out = new StringBuilder(TextTable.render(lines));
        out.append('\n');
        for (SpaceReport s : spaces) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  %-19s %s%n",
                            s.space().label(),
                            s.space().description()));
        }
        if (hasGroundTruth) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  drawn labels use label-seed %d; ECE over %d %s bins%n",
                            options.labelSeed(),
                            options.calibrationBins(),
                            options.binning().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        } else {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "  ECE over %d %s bins%n",
                            options.calibrationBins(),
                            options.binning().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        }
        return out.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%+.4f", v);
    }
}
