package org.causalcvr.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.TinyWorldAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every estimator's gain over base is the difference of the seed means with Welch's standard error
 * and DeLong's test against base's first seed, and a published table is printed beside the
 * comparison with our figures for the estimators it names: numbers checked against the runs.
 */
class GainsAndPublishedTest {
    private static ComparisonReport report;
    private static ComparisonReport.Column auc;

    @BeforeAll
    static void compare() {
        var world = TinyWorldAccess.world(21);
        report =
                Comparison.of(CvrRuntime.load())
                        .estimators("base", "multi-ipw")
                        .seeds(1, 2, 3)
                        .backend("djl", Map.of("preset", "small", "epochs", "1"))
                        .train(TinyWorldAccess.rows(world, 0, 4000))
                        .test(TinyWorldAccess.rows(world, 4000, 2000))
                        .run()
                        .withPublished(
                                new PublishedTable(
                                        "Someone et al., 2024, table 2",
                                        List.of(
                                                new PublishedTable.Entry(
                                                        "naive", 0.7429, Optional.of("base")),
                                                new PublishedTable.Entry(
                                                        "IPS", 0.7539, Optional.of("naive-ipw")),
                                                new PublishedTable.Entry(
                                                        "D-DR", 0.7804, Optional.empty()))));
        auc =
                ComparisonReport.COLUMNS.stream()
                        .filter(c -> c.space().equals(report.primarySpace().label()))
                        .filter(c -> c.metric().equals("auc"))
                        .findFirst()
                        .orElseThrow();
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double variance(List<Double> v) {
        double m = mean(v);
        return v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1);
    }

    @Test
    void theGainOverBaseIsTheDifferenceOfSeedMeansWithWelchsStandardError() {
        List<Double> base = report.values("base", auc);
        List<Double> ipw = report.values("multi-ipw", auc);
        assertThat(base).hasSize(3);

        assertThat(report.reference()).contains("base");
        var gains = report.gains();
        assertThat(gains).containsOnlyKeys("multi-ipw");
        GainOverReference g = gains.get("multi-ipw");
        assertThat(g.difference()).isCloseTo(mean(ipw) - mean(base), offset(1e-12));
        double se = Math.sqrt(variance(ipw) / 3 + variance(base) / 3);
        assertThat(g.standardError()).isCloseTo(se, offset(1e-12));
        assertThat(g.standardErrors()).isCloseTo((mean(ipw) - mean(base)) / se, offset(1e-9));

        // DeLong against base on the first seed: A is base's seed-1 AUC, B multi-ipw's.
        var d = g.deLong().orElseThrow();
        assertThat(d.aucA()).isCloseTo(base.get(0), offset(1e-9));
        assertThat(d.aucB()).isCloseTo(ipw.get(0), offset(1e-9));
        assertThat(d.pValue()).isBetween(0.0, 1.0);

        @SuppressWarnings("unchecked")
        var against = (Map<String, Object>) report.json().get("againstReference");
        assertThat(against).containsEntry("reference", "base");
        @SuppressWarnings("unchecked")
        var row =
                (Map<String, Object>) ((Map<String, Object>) against.get("gains")).get("multi-ipw");
        assertThat((double) row.get("meanDifference")).isCloseTo(g.difference(), offset(1e-15));
        assertThat((double) row.get("standardError")).isCloseTo(se, offset(1e-12));

        String line = String.format(java.util.Locale.ROOT, "%+.2f", 100 * (mean(ipw) - mean(base)));
        assertThat(report.text()).contains("Against base on").contains(line);
    }

    @Test
    void oneSeedHasNoStandardErrorRatherThanAZeroOne() {
        var one = new org.causalcvr.metrics.SeedSummary(1, 0.78, 0.0);
        var three = new org.causalcvr.metrics.SeedSummary(3, 0.76, 0.002);
        var g = new GainOverReference("ips-v2", "base", one, three, java.util.Optional.empty());
        assertThat(g.difference()).isCloseTo(0.02, offset(1e-12));
        assertThat(g.standardError()).isNaN();
        assertThat(g.standardErrors()).isNaN();
        var both =
                new GainOverReference("ips-v2", "base", three, three, java.util.Optional.empty());
        assertThat(both.standardError()).isCloseTo(Math.sqrt(2 * 0.002 * 0.002 / 3), offset(1e-15));
        var rows = report.gainRows(java.util.Map.of("ips-v2", g));
        assertThat(rows.get(1))
                .containsExactly("ips-v2", "78.00 ± 0.00", "+2.00", "-", "-", "-", "-");
    }

    @Test
    void thePublishedTableStandsBesideOurFiguresForTheEstimatorsItNames() {
        var rows = report.publishedRows(report.published().orElseThrow());
        assertThat(rows.get(1)).containsExactly("naive", "74.29", "base", report.cell("base", auc));
        assertThat(rows.get(2)).containsExactly("IPS", "75.39", "naive-ipw", "not run");
        assertThat(rows.get(3)).containsExactly("D-DR", "78.04", "-", "-");

        @SuppressWarnings("unchecked")
        var published = (Map<String, Object>) report.json().get("published");
        assertThat(published).containsEntry("source", "Someone et al., 2024, table 2");
        @SuppressWarnings("unchecked")
        var entries = (List<Map<String, Object>>) published.get("entries");
        assertThat(entries.get(0)).containsEntry("auc", 0.7429).containsEntry("closest", "base");
        @SuppressWarnings("unchecked")
        var ours = (Map<String, Object>) entries.get(0).get("ours");
        assertThat((double) ours.get("mean"))
                .isCloseTo(mean(report.values("base", auc)), offset(1e-12));
        assertThat(entries.get(1)).containsEntry("closest", "naive-ipw").doesNotContainKey("ours");
        assertThat(entries.get(2)).doesNotContainKey("closest");
        assertThat(report.text()).contains("Published: Someone et al., 2024, table 2");
        assertThat(report.published().get().line())
                .isEqualTo("Someone et al., 2024, table 2: naive .7429, IPS .7539, D-DR .7804");
    }
}
