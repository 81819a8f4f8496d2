package org.causalcvr.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects one value per (row, column, run), for example (model, "CVR AUC", seed), and prints the
 * table-3 layout: a row per model, a column per metric, each cell {@code mean ± std} over runs.
 * Rows and columns keep the order in which they were first added. Not thread-safe.
 */
public final class SeedTable {
    private final Map<String, Map<String, List<Double>>> cells = new LinkedHashMap<>();
    private final List<String> columns = new ArrayList<>();

    /** Records one run's {@code value} of {@code column} for {@code row}. */
    public SeedTable add(String row, String column, double value) {
        if (!columns.contains(column)) {
            columns.add(column);
        }
        cells.computeIfAbsent(row, r -> new LinkedHashMap<>())
                .computeIfAbsent(column, c -> new ArrayList<>())
                .add(value);
        return this;
    }

    /** The summary of one cell. */
    public SeedSummary summary(String row, String column) {
        var values = cells.getOrDefault(row, Map.of()).get(column);
        if (values == null) {
            throw new UndefinedMetricException("No runs for (" + row + ", " + column + ")");
        }
        return SeedSummary.of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The table as aligned text; each cell {@code mean ± std} scaled by {@code scale} (100 for AUCs
     * in percent), {@code -} where a row has no value of a column.
     */
    public String format(String rowHeader, double scale, int decimals) {
        var header = new ArrayList<String>();
        header.add(rowHeader);
        header.addAll(columns);
        var lines = new ArrayList<List<String>>();
        lines.add(header);
        for (var row : cells.entrySet()) {
            var line = new ArrayList<String>();
            line.add(row.getKey());
            for (String column : columns) {
                var values = row.getValue().get(column);
                line.add(
                        values == null
                                ? "-"
                                : SeedSummary.of(
                                                values.stream()
                                                        .mapToDouble(Double::doubleValue)
                                                        .toArray())
                                        .format(scale, decimals));
            }
            lines.add(line);
        }
        return TextTable.render(lines);
    }
}
