package org.causalcvr.experiments.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.plot.Plots;
import org.causalcvr.experiments.report.ComparisonReport;
import org.causalcvr.metrics.SeedSummary;

/**
 * One estimator over the values of one of its settings (the paper's figure 6): one arm per value,
 * labelled {@code key=value}, and a plot of every AUC column against the values.
 *
 * <pre>{@code
 * var sweep = Sweep.of(runtime, "multi-ipw", "ipw-bound-pct", List.of("0.5", "1", "2"));
 * sweep.addTo(Comparison.of(runtime).train(train).test(test)).run()
 *         .writeReport(Path.of("sweep"), sweep.plot());
 * }</pre>
 *
 * @param estimator the registered estimator name
 * @param key the swept setting, declared by the estimator
 * @param values its values, each validated against the key's range
 */
public record Sweep(String estimator, String key, List<String> values) {
    public Sweep {
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new ConfigException("A sweep over '" + key + "' needs at least one value");
        }
    }

    /**
     * A sweep, checked against the estimator's schema: an undeclared key fails with the schema's
     * unknown-key message (nearest key named), a value out of range with the key's range.
     */
    public static Sweep of(CvrRuntime runtime, String estimator, String key, List<String> values) {
        EstimatorFactory factory = runtime.estimator(estimator);
        if (factory.configSchema().key(key).isEmpty()) {
            // Resolving a map with only this key yields the standard unknown-key message.
            factory.configSchema().resolve(Map.of(key, values.isEmpty() ? "" : values.get(0)));
        }
        for (String v : values) {
            factory.configSchema().resolve(Map.of(key, v));
        }
        return new Sweep(estimator, key, values);
    }

    /** The table label of the arm with {@code value}. */
    public String label(String value) {
        return key + "=" + value;
    }

    /** {@code base} with one arm per value added. */
    public Comparison addTo(Comparison base) {
        return addTo(base, new Settings(Map.of(), Map.of()));
    }

    /**
     * {@code base} with one arm per value added, each with {@code defaults} (a settings file's
     * entry for the estimator: its estimator part, and backend settings for these arms) under the
     * swept value.
     */
    public Comparison addTo(Comparison base, Settings defaults) {
        Comparison out = base;
        for (String v : values) {
            var settings = new java.util.LinkedHashMap<>(defaults.estimator());
            settings.put(key, v);
            var backend = new java.util.LinkedHashMap<>(defaults.backend());
            backend.remove(key);
            out = out.arm(label(v), estimator, settings, backend);
        }
        return out;
    }

    /** Draws {@code sweep.png}: each AUC column's mean over seeds against the swept values. */
    public ComparisonReport.ExtraPlots plot() {
        return (report, folder) -> List.of(draw(report, folder));
    }

    private String draw(ComparisonReport report, Path folder) {
        double[] x = new double[values.size()];
        for (int i = 0; i < x.length; i++) {
            try {
                x[i] = Double.parseDouble(values.get(i));
            } catch (NumberFormatException e) {
                x[i] = i; // categorical values are plotted at their positions
            }
        }
        var lines = new ArrayList<Plots.Line>();
        for (ComparisonReport.Column c : ComparisonReport.COLUMNS) {
            if (!c.metric().equals("auc")) {
                continue;
            }
            double[] y = new double[values.size()];
            boolean any = false;
            for (int i = 0; i < y.length; i++) {
                List<Double> v = report.values(label(values.get(i)), c);
                // An arm whose every run failed has no mean: a gap in its line.
                y[i] =
                        v.isEmpty()
                                ? Double.NaN
                                : SeedSummary.of(
                                                v.stream()
                                                        .mapToDouble(Double::doubleValue)
                                                        .toArray())
                                        .mean();
                any |= !v.isEmpty();
            }
            if (any) {
                lines.add(new Plots.Line(c.header(), x, y));
            }
        }
        Plots.lines(
                folder.resolve("sweep.png"),
                String.format(Locale.ROOT, "%s: AUC against %s (mean over seeds)", estimator, key),
                key,
                "AUC",
                lines,
                false,
                true);
        return "sweep.png";
    }
}
