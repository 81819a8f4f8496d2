package org.causalcvr.api.estimator;

import java.util.Optional;
import org.causalcvr.api.ops.Ops;

/**
 * Everything an {@link Objective}, {@link Propensity} or {@link Imputation} may read about one
 * batch, as tensors of one entry per row.
 *
 * @param clicks click labels o ∈ {0, 1}
 * @param conversions conversion labels r ∈ {0, 1} (0 where o = 0)
 * @param outputs the towers' logits
 * @param truePropensity the true click propensity p, when the data is synthetic (for oracle
 *     propensities); empty otherwise
 * @param rowWeights a weight per row correcting for sampling (for example the chance k/u that an
 *     unclicked row would have been drawn, when the backend weights instead of drawing); empty
 *     means every weight is 1. Weights are counts: an objective reduces as if row i appeared w_i
 *     times (the conformance kit checks it)
 * @param propensity an estimated click propensity p̂ supplied with the data (column {@code
 *     propensity}, for example naive Bayes from a missing-at-random sample); empty when the data
 *     has none. Not the truth: see {@code truePropensity}
 * @param <T> the tensor type
 */
public record ObjectiveInput<T>(
        T clicks,
        T conversions,
        TowerOutputs<T> outputs,
        Optional<T> truePropensity,
        Optional<T> rowWeights,
        Optional<T> propensity) {

    /** Input without a propensity column from the data. */
    public ObjectiveInput(
            T clicks,
            T conversions,
            TowerOutputs<T> outputs,
            Optional<T> truePropensity,
            Optional<T> rowWeights) {
        this(clicks, conversions, outputs, truePropensity, rowWeights, Optional.empty());
    }

    /** Input without ground truth and without row weights. */
    public static <T> ObjectiveInput<T> of(T clicks, T conversions, TowerOutputs<T> outputs) {
        return new ObjectiveInput<>(
                clicks, conversions, outputs, Optional.empty(), Optional.empty());
    }

    /** The same input with the true propensity attached. */
    public ObjectiveInput<T> withTruePropensity(T propensity) {
        return new ObjectiveInput<>(
                clicks, conversions, outputs, Optional.of(propensity), rowWeights, this.propensity);
    }

    /** The same input with the data's estimated propensity p̂ attached. */
    public ObjectiveInput<T> withPropensity(T estimated) {
        return new ObjectiveInput<>(
                clicks, conversions, outputs, truePropensity, rowWeights, Optional.of(estimated));
    }

    /**
     * The mean of the per-row values {@code x} over the batch's exposures, each row counted by its
     * row weight: {@code Σ w·x / Σ w}, or {@code (1/|D|) Σ x} without weights. Every reduction of
     * an objective over rows goes through it (or an equivalent), so that a row of weight w counts
     * as w rows. A batch whose weights sum to 0 has no mean; callers that can meet one must guard.
     */
    public T rowMean(Ops<T> ops, T x) {
        return rowWeights
                .map(w -> ops.div(ops.sum(ops.mul(x, w)), ops.sum(w)))
                .orElseGet(() -> ops.mean(x));
    }

    /** The same input with row weights attached. */
    public ObjectiveInput<T> withRowWeights(T weights) {
        return new ObjectiveInput<>(
                clicks, conversions, outputs, truePropensity, Optional.of(weights), propensity);
    }
}
