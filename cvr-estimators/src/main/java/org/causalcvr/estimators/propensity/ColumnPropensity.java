package org.causalcvr.estimators.propensity;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.ops.Ops;

/**
 * p̂ = clip(p̂_data): an estimated click propensity supplied with the data ({@link
 * ObjectiveInput#propensity()}, column {@value ReservedColumns#PROPENSITY}), such as the naive
 * Bayes propensity of the rating literature, P(o=1 | y) = P(y | o=1) P(o=1) / P(y) with P(y) from a
 * small missing-at-random sample. It is a constant of the data: no gradient flows into it and no
 * tower computes it. Fails, naming the missing column, on data without it.
 */
public final class ColumnPropensity implements Propensity {
    private final PropensityClipping clipping;

    public ColumnPropensity(PropensityClipping clipping) {
        this.clipping = Objects.requireNonNull(clipping);
    }

    public PropensityClipping clipping() {
        return clipping;
    }

    @Override
    public String name() {
        return "column";
    }

    @Override
    public Set<String> towers() {
        return Set.of();
    }

    @Override
    public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
        return clipping.apply(ops, estimated(input));
    }

    /**
     * The data's estimated propensity, unclipped.
     *
     * @throws DataException naming the column when the data has none
     */
    public static <T> T estimated(ObjectiveInput<T> input) {
        return input.propensity()
                .orElseThrow(
                        () ->
                                new DataException(
                                        "column '"
                                                + ReservedColumns.PROPENSITY
                                                + "': missing, but propensity=column reads"
                                                + " p̂ from it (write it with cvr convert"
                                                + " coat --protocol 5-5-90 --propensity"
                                                + " naive-bayes-rating, or choose another"
                                                + " propensity)"));
    }
}
