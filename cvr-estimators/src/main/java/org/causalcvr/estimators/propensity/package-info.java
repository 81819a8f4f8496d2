/**
 * Propensities p̂: the CTR tower (detached from the weight by default), the oracle (true p of
 * synthetic data) and a constant, each clipped by {@link
 * org.causalcvr.estimators.propensity.PropensityClipping} (the paper's IPW bound τ).
 */
package org.causalcvr.estimators.propensity;
