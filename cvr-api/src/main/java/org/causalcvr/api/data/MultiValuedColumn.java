package org.causalcvr.api.data;

import java.util.Optional;

/**
 * A list-valued feature column: row {@code i} holds the ids {@code ids()[start(i) .. end(i))}, each
 * with a weight when the field has a weight column (else weight 1).
 *
 * <p>A backend pools a row's embeddings as {@code Σ_j w_j · E[id_j] / max(1, Σ_j w_j)}; an empty
 * list pools to the zero vector. Valid only as long as its batch.
 */
public interface MultiValuedColumn {
    /** Number of rows. */
    int size();

    /** Index into {@link #ids()} of row {@code row}'s first id. */
    int start(int row);

    /** Index into {@link #ids()} just past row {@code row}'s last id. */
    int end(int row);

    /** All ids of the batch, row after row. */
    IntColumn ids();

    /** The weight of each id, aligned with {@link #ids()}, if the field has weights. */
    Optional<FloatColumn> weights();
}
