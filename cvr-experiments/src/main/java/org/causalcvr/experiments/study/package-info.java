/**
 * A study: the same comparison of estimators run on several data sets (worlds of one generator at
 * several settings of a knob), with what a reader of a debiasing claim asks of each world: the
 * exposure-space CVR AUC against the true CVR (mean ± std over seeds), the bias of the mean pCVR
 * against the mean true CVR, DeLong's test of each estimator against a baseline seed by seed, and
 * the AUC inside buckets of rarely to often clicked users and items.
 */
package org.causalcvr.experiments.study;
