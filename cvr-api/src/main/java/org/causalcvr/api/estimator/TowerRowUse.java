package org.causalcvr.api.estimator;

/**
 * Which rows of a batch an {@link Objective} needs one tower's logits on, as the objective itself
 * declares it, so that a backend can skip work that cannot change the loss or its gradients.
 *
 * <p>At Ali-CCP's click rate about 4% of the rows are clicked, so a tower that is needed on the
 * clicked rows alone costs a twenty-fifth of its full forward and backward pass. A backend trusts
 * the declaration; the test kit's conformance check probes the objective and fails, naming it, when
 * a declaration is wrong. {@link #ALL_ROWS} is always correct, so an objective that declares
 * nothing loses speed, never correctness.
 */
public enum TowerRowUse {
    /** The loss reads the tower's logits on every row, with a gradient on every row. */
    ALL_ROWS,

    /**
     * The loss reads the tower's logits on every row, but their gradient is exactly zero on every
     * unclicked row (o = 0): the forward pass covers every row, the backward pass only the clicked
     * rows. Multi-DR's imputation tower: the DR term reads ê on every row but detached, and the
     * imputation loss o·(e − ê)²/p̂ vanishes where o = 0.
     */
    GRADIENT_ON_CLICKED_ROWS_ONLY,

    /**
     * The loss and all its terms are exactly the same whatever the tower's logits on unclicked
     * rows: forward and backward may run on the clicked rows alone. Multi-IPW's and Multi-DR's CVR
     * tower, which enter only through o·e.
     */
    CLICKED_ROWS_ONLY
}
