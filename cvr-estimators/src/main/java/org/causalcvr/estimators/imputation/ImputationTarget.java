package org.causalcvr.estimators.imputation;

/**
 * What the imputation tower's output means ({@code imputation-target}).
 *
 * <p>Written in configuration as {@code error} and {@code pseudo-label}.
 */
public enum ImputationTarget {
    /**
     * The tower regresses the error directly: ê = softplus(z) ≥ 0 (paper section 4.3: "an
     * imputation model which aims to estimate the prediction error e"). ê does not depend on r̂, so
     * in the DR loss the CVR tower's gradient is that of IPW.
     */
    ERROR,
    /**
     * The tower predicts a soft conversion label s = sigmoid(z) and ê = CE(s, r̂) is the loss of r̂
     * against it; ê then trains the CVR tower on unclicked rows towards s (as some public
     * implementations of Multi-DR do).
     */
    PSEUDO_LABEL
}
