/**
 * Imputed errors the later DR estimators derive from the imputation tower's: TDR-CL's targeted ê*
 * ({@link org.causalcvr.estimators.extra.imputation.TargetedImputation}).
 */
package org.causalcvr.estimators.extra.imputation;
