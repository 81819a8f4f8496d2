/**
 * Experiments as a library: comparisons of estimators over seeds, sweeps, seed summaries, DeLong
 * tables, plots and report folders, for any estimators, data and backend that the plugins provide.
 *
 * <p>The entry point is {@link org.causalcvr.experiments.Comparison}, an immutable description run
 * by {@code run()} into an immutable {@link org.causalcvr.experiments.report.ComparisonReport}:
 *
 * <ul>
 *   <li>{@code run}: training arms over seeds on a backend chosen by name and evaluating each model
 *       (the runner, the run records with their provenance, the listener for progress);
 *   <li>{@code config}: {@code key=value} settings routed to the estimator or the backend that
 *       declares them;
 *   <li>{@code report}: the table (mean ± std over seeds per metric and space), DeLong's tests, the
 *       atomic report folder (report.md, report.json, plots) and plain/Markdown tables;
 *   <li>{@code plot}: PNG line and bar charts;
 *   <li>{@code sweep}: one estimator over the values of one setting;
 *   <li>{@code predict}: backend-neutral prediction files.
 * </ul>
 *
 * <p>This module never depends on a backend or a data format: they come through {@link
 * org.causalcvr.api.plugin.CvrRuntime} and the {@link org.causalcvr.api.data.ExposureSource} SPI.
 */
package org.causalcvr.experiments;
