package org.causalcvr.estimators.objective;

import org.causalcvr.api.CvrException;
import org.causalcvr.api.ops.Ops;

/**
 * The inverse-propensity weight {@code 1/p̂}, guarded: a propensity that is 0, negative or NaN
 * never becomes a silent infinite or NaN loss.
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
        double smallest = ops.value(ops.min(ops.detach(propensity)));
        if (!(smallest > 0) || Double.isInfinite(1.0 / smallest)) {
            throw new CvrException(
                    "Objective '"
                            + objective
                            + "', term '"
                            + term
                            + "': a propensity of "
                            + smallest
                            + " reaches an inverse-propensity weight; allowed (0, 1]"
                            + " (is ipw-bound > 0? is the ctr tower's output NaN?)");
        }
        return ops.div(ops.scalar(1.0), propensity);
    }
}
