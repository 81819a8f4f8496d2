/**
 * The CVR estimators that came after Zhang et al.'s Multi-IPW and Multi-DR, as one plugin ({@link
 * org.causalcvr.estimators.extra.ExtraEstimatorsModule}): ESCM²-DR, DCMT, MRDR, DR-BIAS, DR-MSE,
 * IPS-V2, DR-V2, StableDR, TDR-CL and D-DR. They are composed from the public objectives,
 * propensities and imputations of {@code cvr-estimators}; what is new here is written, like those,
 * once against {@link org.causalcvr.api.ops.Ops}: the weighted imputation losses ({@link
 * org.causalcvr.estimators.imputation.ImputationWeighting}), DCMT's counterfactual loss, the
 * balancing loss of the V2 estimators and the non-click propensity 1 − p̂ they weight by, TDR-CL's
 * targeted imputation and D-DR's dynamic propensity.
 *
 * <p>Each factory's Javadoc gives its loss and its source (authors, title, venue, and which loss of
 * the paper it implements). Equation numbers are not cited: the papers' texts were not at hand when
 * this module was written, and a wrong number is worse than none.
 */
package org.causalcvr.estimators.extra;
