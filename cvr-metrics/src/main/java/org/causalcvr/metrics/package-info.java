/**
 * Exact, global evaluation metrics for CVR models, always tied to a named {@link
 * org.causalcvr.metrics.EvaluationSpace}.
 *
 * <ul>
 *   <li>{@link org.causalcvr.metrics.Evaluator} / {@link org.causalcvr.metrics.EvaluationReport}:
 *       one pass over (batch, predictions) pairs, every applicable metric in every applicable
 *       space; {@code EvaluationReport.toTable()} names each space.
 *   <li>Array-level metrics: {@link org.causalcvr.metrics.Auc} (exact Mann-Whitney AUC, ties half;
 *       soft AUC against true probabilities), {@link org.causalcvr.metrics.AucAccumulator}
 *       (streaming), {@link org.causalcvr.metrics.GroupMetrics} (GAUC of paper eq. 12, Recall@K,
 *       NDCG@K), {@link org.causalcvr.metrics.LogLoss} (eq. 1's cross-entropy), {@link
 *       org.causalcvr.metrics.Calibration} (ECE and reliability tables), {@link
 *       org.causalcvr.metrics.RocCurve}.
 *   <li>Significance: {@link org.causalcvr.metrics.DeLong} (correlated AUCs), {@link
 *       org.causalcvr.metrics.Bootstrap} (percentile intervals), {@link
 *       org.causalcvr.metrics.SeedSummary} and {@link org.causalcvr.metrics.SeedTable} (mean ± std
 *       over seeds, the paper's table 3).
 * </ul>
 *
 * An AUC is never averaged over batches and never silently 0.5: with one class it is an {@link
 * org.causalcvr.metrics.UndefinedMetricException} or, when asked for ({@link
 * org.causalcvr.metrics.OneClassPolicy#NAN}), NaN shown beside the class counts.
 */
package org.causalcvr.metrics;
