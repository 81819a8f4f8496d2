package org.causalcvr.api.estimator;

import java.util.Set;
import org.causalcvr.api.ops.Ops;

/**
 * A loss that combines tower outputs and labels, written once against {@link Ops} so that it trains
 * on a backend's tensors and is tested on {@code double[]}.
 *
 * <p>Contract: {@code loss} is a pure function of its input; it returns a finite value for any
 * legal input (labels in {0,1}, finite logits) by clamping probabilities before logarithms and
 * propensities before divisions; it throws {@link org.causalcvr.api.CvrException} naming the term
 * rather than return NaN when a required input (such as a propensity of 0 or NaN reaching a weight)
 * makes a finite value impossible.
 */
public interface Objective {
    /** A short name, such as {@code ipw}. */
    String name();

    /** The towers whose outputs this objective reads. */
    Set<String> towers();

    /**
     * Which rows this objective needs {@code tower}'s logits on (a tower of {@link #towers()}). The
     * default, {@link TowerRowUse#ALL_ROWS}, is always correct; declare less only when it is
     * exactly true, since a backend trusts it and computes nothing for the rows declared unneeded.
     */
    default TowerRowUse rowUse(String tower) {
        return TowerRowUse.ALL_ROWS;
    }

    /** The loss on one batch. */
    <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input);
}
