/**
 * What an estimator is, as the backend sees it: its {@link org.causalcvr.api.estimator.Tower}s,
 * where its propensity p̂ ({@link org.causalcvr.api.estimator.Propensity}) and imputed error ê
 * ({@link org.causalcvr.api.estimator.Imputation}) come from, and the {@link
 * org.causalcvr.api.estimator.TrainingSchedule} of {@link org.causalcvr.api.estimator.Objective}s
 * it is trained on, created from configuration by an {@link
 * org.causalcvr.api.estimator.EstimatorFactory}.
 *
 * <p>Objectives are written once against {@link org.causalcvr.api.ops.Ops}, so the same code trains
 * on a backend's tensors and is tested on {@code double[]}. An objective may declare, per tower,
 * that it needs the tower's logits only on clicked rows ({@link
 * org.causalcvr.api.estimator.TowerRowUse}); the backend trusts the declaration and the test kit
 * checks it.
 */
package org.causalcvr.api.estimator;
