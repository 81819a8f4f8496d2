/**
 * The estimator kit: what the built-in estimator modules and third-party plugins compose estimators
 * from, so that no composition is written twice.
 *
 * <ul>
 *   <li>{@link org.causalcvr.estimators.kit.EstimatorKeys}: the shared configuration keys
 *       (propensity source, supervision and gradient, normalisation, the IPW bounds, λ, the
 *       imputation tower's l2 and target, …), each strict, with a documented default;
 *   <li>{@link org.causalcvr.estimators.kit.Compositions}: key lists, the clipping and the
 *       propensity a configuration asks for, the CTR task, λ;
 *   <li>{@link org.causalcvr.estimators.kit.InversePropensityFamily} and {@link
 *       org.causalcvr.estimators.kit.DoublyRobustFamily}: Multi-IPW's and Multi-DR's whole
 *       composition, with the parts an estimator adds (IPS-V2's balancing, DCMT's counterfactual
 *       tower, MRDR's imputation weighting, ESCM²-DR's CTCVR term…);
 *   <li>{@link org.causalcvr.estimators.kit.ConfiguredEstimatorFactory}: a factory with a strict
 *       schema;
 *   <li>{@link org.causalcvr.estimators.kit.Rows}: reductions over a batch's rows that honour row
 *       weights, and detaching of tower outputs.
 * </ul>
 *
 * The losses themselves are in {@code objective}, the propensities in {@code propensity}, the
 * imputations and imputation weightings in {@code imputation}.
 */
package org.causalcvr.estimators.kit;
