package org.causalcvr.estimators.objective;

import org.causalcvr.api.CvrException;
import org.causalcvr.api.ops.Ops;

/**
 * The inverse-propensity weights {@code 1/p̂} and {@code 1/(1 − p̂)}, guarded: a propensity that is
 * 0, negative or NaN never becomes a silent infinite or NaN loss.
 */
public final class InverseWeights {
    private InverseWeights() {}

    /**
     * {@code 1/p̂} of every row.
     *
     * <p>Reads the smallest p̂ of the batch (one scalar per call) to check it.
     *
     * @param objective the objective's name, for the message
     * @param term the loss term the weight enters, for the message
     * @throws CvrException (one line, naming objective and term) when some p̂ is not in (0, 1] or
     *     its inverse overflows
     */
    public static <T> T of(Ops<T> ops, T propensity, String objective, String term) {
        return guarded(
                ops,
                propensity,
                objective,
                term,
                "a propensity of ",
                " reaches an inverse-propensity weight");
    }

    /**
     * {@code 1/(1 − p̂)} of every row, given the non-click propensity {@code 1 − p̂} (DCMT's
     * counterfactual loss, the balancing loss of IPS-V2 and DR-V2), guarded as {@link #of} is.
     */
    public static <T> T ofNonClick(Ops<T> ops, T nonClick, String objective, String term) {
        return guarded(
                ops,
                nonClick,
                objective,
                term,
                "a non-click propensity 1 - p̂ of ",
                " reaches a weight 1/(1 - p̂)");
    }

    private static <T> T guarded(
            Ops<T> ops, T probability, String objective, String term, String what, String reaches) {
        double smallest = ops.value(ops.min(ops.detach(probability)));
        if (!(smallest > 0) || Double.isInfinite(1.0 / smallest)) {
            throw new CvrException(
                    "Objective '"
                            + objective
                            + "', term '"
                            + term
                            + "': "
                            + what
                            + smallest
                            + reaches
                            + "; allowed (0, 1]"
                            + " (is ipw-bound > 0? is the ctr tower's output NaN?)");
        }
        return ops.div(ops.scalar(1.0), probability);
    }
}
