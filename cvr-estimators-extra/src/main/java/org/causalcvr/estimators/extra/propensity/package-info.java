/**
 * The non-click propensity 1 − p̂ that DCMT's counterfactual loss and the V2 balancing loss weight
 * by, clipped like p̂.
 */
package org.causalcvr.estimators.extra.propensity;
