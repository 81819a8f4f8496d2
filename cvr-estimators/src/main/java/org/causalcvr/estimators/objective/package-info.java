/**
 * The losses of the paper's estimators, each an {@link org.causalcvr.api.estimator.Objective}
 * written once against {@link org.causalcvr.api.ops.Ops}: the DJL backend trains with them and the
 * statistical tests evaluate them on {@code double[]}. Every term is named ({@link
 * org.causalcvr.estimators.objective.Terms}); reductions honour row weights ({@link
 * org.causalcvr.estimators.kit.Rows}); an inverse-propensity weight of a propensity that is 0 or
 * NaN throws ({@link org.causalcvr.estimators.objective.InverseWeights}).
 */
package org.causalcvr.estimators.objective;
