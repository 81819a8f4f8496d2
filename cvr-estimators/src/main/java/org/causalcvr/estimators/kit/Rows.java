package org.causalcvr.estimators.kit;

import java.util.LinkedHashMap;
import java.util.Set;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.ops.Ops;

/**
 * Reductions over the rows of a batch that honour {@link ObjectiveInput#rowWeights()}, and the
 * detaching of tower outputs that objectives need. Public so that third-party objectives reduce
 * rows the same way.
 */
public final class Rows {
    /**
     * Denominators are clamped from below at this value, so a batch without clicks gives a loss of
     * 0 (an empty sum over an empty set), not 0/0. Row weights are sampling corrections, far above
     * it; it is also representable in float32.
     */
    public static final double TINY = 1e-12;

    private Rows() {}

    /** {@code w·x}, or {@code x} when the batch has no row weights. */
    public static <T> T weighted(Ops<T> ops, ObjectiveInput<T> input, T x) {
        return input.rowWeights().map(w -> ops.mul(x, w)).orElse(x);
    }

    /** {@code Σ w·x} (Σ x without row weights). */
    public static <T> T sum(Ops<T> ops, ObjectiveInput<T> input, T x) {
        return ops.sum(weighted(ops, input, x));
    }

    /** {@code Σ w·x / Σ w}: the mean over the batch's exposures (Σ x / |D| without weights). */
    public static <T> T mean(Ops<T> ops, ObjectiveInput<T> input, T x) {
        if (input.rowWeights().isEmpty()) {
            return ops.mean(x);
        }
        return ratio(ops, sum(ops, input, x), ops.sum(input.rowWeights().get()));
    }

    /** {@code numerator / max(denominator, TINY)}: a ratio whose empty case is 0, not NaN. */
    public static <T> T ratio(Ops<T> ops, T numerator, T denominator) {
        return ops.div(numerator, ops.clamp(denominator, TINY, Double.POSITIVE_INFINITY));
    }

    /**
     * The same input with the logits of every tower except {@code keep} detached, so that a term
     * sends gradients only into the towers it is meant to train.
     */
    public static <T> ObjectiveInput<T> detachExcept(
            Ops<T> ops, ObjectiveInput<T> input, Set<String> keep) {
        var logits = new LinkedHashMap<String, T>();
        input.outputs()
                .logits()
                .forEach(
                        (tower, value) ->
                                logits.put(
                                        tower, keep.contains(tower) ? value : ops.detach(value)));
        return new ObjectiveInput<>(
                input.clicks(),
                input.conversions(),
                new TowerOutputs<>(logits),
                input.truePropensity(),
                input.rowWeights(),
                input.propensity());
    }
}
