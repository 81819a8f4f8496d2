/**
 * The losses the later estimators add to the library's ({@code
 * org.causalcvr.estimators.objective}): IPS-V2's and DR-V2's balancing loss and DCMT's
 * counterfactual CVR loss, written once against {@link org.causalcvr.api.ops.Ops}.
 */
package org.causalcvr.estimators.extra.objective;
