package org.causalcvr.api.estimator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The value of an objective on one batch: the scalar to minimise and its named parts.
 *
 * <p>The parts let a backend report losses per term and name the term that went bad when a loss is
 * NaN or infinite. {@code total} is the sum of the terms' contributions as the objective defines
 * them (weights included), not necessarily the plain sum of {@code terms}.
 *
 * @param total the scalar loss to minimise
 * @param terms named scalar parts, in a stable order (for example {@code ctr}, {@code cvr})
 * @param <T> the tensor type
 */
public record LossTerms<T>(T total, Map<String, T> terms) {
    public LossTerms {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /** A loss with one term, named {@code name}, that is also the total. */
    public static <T> LossTerms<T> single(String name, T value) {
        return new LossTerms<>(value, Map.of(name, value));
    }
}
