package org.causalcvr.metrics;

/**
 * One number of a report in long form, for CSV, JSON or a plotting script.
 *
 * @param space the evaluation space's label, such as {@code cvr-clicked}
 * @param metric the metric's name, such as {@code auc}, {@code gauc}, {@code recall@10}
 * @param value the value (NaN where undefined)
 */
public record MetricValue(String space, String metric, double value) {}
