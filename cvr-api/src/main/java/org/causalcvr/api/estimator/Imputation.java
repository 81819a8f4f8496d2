package org.causalcvr.api.estimator;

import java.util.Set;
import org.causalcvr.api.ops.Ops;

/**
 * Where the imputed prediction error ê of every exposure comes from, for doubly robust estimators:
 * DR = (1/|D|) Σ [ ê + o·(e − ê)/p̂ ] (paper eq. 6), which is unbiased when either p̂ = p or ê = e.
 *
 * <p>Sources the paper needs: an imputation tower (Multi-DR, Joint Learning DR), the loss of a
 * pseudo-label that is positive with probability η (Heuristic DR), and none (ê = 0, which turns DR
 * into IPW).
 */
public interface Imputation {
    /** A short name, such as {@code tower} or {@code heuristic}. */
    String name();

    /** The towers this imputation reads (empty for heuristic or none). */
    Set<String> towers();

    /**
     * The imputed error ê of every row.
     *
     * @param predictionError e = CE(r, r̂) of every row, as the objective computed it (its value is
     *     meaningful only where o = 1)
     */
    <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T predictionError);
}
