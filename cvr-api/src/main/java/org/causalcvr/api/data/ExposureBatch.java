package org.causalcvr.api.data;

import java.util.Optional;

/**
 * A columnar view of consecutive exposures (rows) of an exposure log.
 *
 * <p>Every row is the exposure of an item to a user: the click indicator {@code o ∈ {0,1}}, the
 * conversion indicator {@code r ∈ {0,1}} (observed only where {@code o = 1}; 0 elsewhere), one id
 * per single-valued feature field, a list of ids for each multi-valued field, and optionally a
 * group id and the ground truth of synthetic data.
 *
 * <p><b>Lifetime:</b> a batch handed out by a {@link BatchCursor} is valid only until the cursor's
 * next {@code next()} or {@code close()}; its columns may be views over native memory that is then
 * reused. Copy what you need to keep.
 */
public interface ExposureBatch {
    /** The schema of the feature columns. */
    FeatureSchema schema();

    /** Number of rows. */
    int size();

    /** Click labels o, 0 or 1. */
    IntColumn clicks();

    /** Conversion labels r, 0 or 1, and 1 only where the click is 1. */
    IntColumn conversions();

    /**
     * The ids of single-valued field {@code fieldIndex}, each in {@code [0, cardinality)}.
     *
     * @throws IllegalArgumentException if the field is multi-valued
     */
    IntColumn feature(int fieldIndex);

    /**
     * The id lists of multi-valued field {@code fieldIndex}.
     *
     * @throws IllegalArgumentException if the field is single-valued
     */
    MultiValuedColumn multiValuedFeature(int fieldIndex);

    /**
     * The values of dense field {@code denseIndex} (an index into {@link FeatureSchema#dense()}),
     * finite.
     *
     * @throws IllegalArgumentException if the schema has no such dense field
     */
    default FloatColumn denseFeature(int denseIndex) {
        throw new IllegalArgumentException(
                "Dense field "
                        + denseIndex
                        + " does not exist: the schema has "
                        + schema().dense().size()
                        + " dense fields");
    }

    /** Group ids (user or page view), if the schema has them. */
    Optional<LongColumn> groups();

    /** Synthetic data only: the true click propensity p of every row. */
    Optional<FloatColumn> truePropensity();

    /** Synthetic data only: the true post-click conversion probability of every row. */
    Optional<FloatColumn> trueCvr();

    /**
     * An estimated click propensity p̂ of every row supplied with the data ({@link
     * ReservedColumns#PROPENSITY}), if the data carries one; empty by default.
     */
    default Optional<FloatColumn> propensity() {
        return Optional.empty();
    }
}
