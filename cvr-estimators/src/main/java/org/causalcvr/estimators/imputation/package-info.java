/**
 * Imputed errors ê of the doubly robust estimators: an imputation tower (regressing e, or
 * predicting a pseudo-label), Heuristic DR's η, and none.
 */
package org.causalcvr.estimators.imputation;
