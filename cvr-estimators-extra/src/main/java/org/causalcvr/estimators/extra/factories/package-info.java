/**
 * The factories of the estimators after the paper (ESCM²-DR, DCMT, MRDR, DR-BIAS, DR-MSE, IPS-V2,
 * DR-V2, StableDR, TDR-CL, D-DR) and the keys they add ({@link
 * org.causalcvr.estimators.extra.factories.ExtraKeys}). Each is a few lines on the estimator kit
 * ({@code org.causalcvr.estimators.kit}): the IPW ones on {@code InversePropensityFamily}, the DR
 * ones on {@code DoublyRobustFamily}.
 */
package org.causalcvr.estimators.extra.factories;
