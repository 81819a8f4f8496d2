package org.causalcvr.estimators.objective;

/**
 * The names of the loss terms the paper's objectives report in {@link
 * org.causalcvr.api.estimator.LossTerms}. A backend logs each term and names the one that went bad.
 *
 * <p>Convention: the term {@link #CVR}, when an objective has one, is that objective's estimate of
 * the CVR prediction inaccuracy P of the paper's eq. 1 (the quantity whose bias the paper's
 * theorems are about); the test kit's {@code ObjectiveValues.inaccuracyEstimate} reads it.
 */
public final class Terms {
    /** {@code CE(o, p̂)} over all exposures: supervises the CTR (propensity) tower. */
    public static final String CTR = "ctr";

    /** The CVR tower's loss: the estimator's estimate of the prediction inaccuracy P (eq. 1). */
    public static final String CVR = "cvr";

    /** ESMM's {@code CE(o·r, p̂·r̂)} over all exposures. */
    public static final String CTCVR = "ctcvr";

    /** The imputation tower's loss {@code o·(e − ê)²/p̂}. */
    public static final String IMPUTATION = "imputation";

    private Terms() {}
}
