package org.causalcvr.api.estimator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.UnknownNameException;

/**
 * The raw outputs (logits) of an estimator's towers on one batch, one entry per row. Probabilities
 * are {@code sigmoid(logit)}; objectives apply it themselves through {@link
 * org.causalcvr.api.ops.Ops#sigmoid}.
 *
 * @param logits tower name to its logits
 * @param <T> the tensor type
 */
public record TowerOutputs<T>(Map<String, T> logits) {
    public TowerOutputs {
        logits = Collections.unmodifiableMap(new LinkedHashMap<>(logits));
    }

    /** The logits of {@code tower}, or an error naming the towers present. */
    public T get(String tower) {
        T value = logits.get(tower);
        if (value == null) {
            throw new UnknownNameException("tower output", tower, logits.keySet());
        }
        return value;
    }

    public Optional<T> find(String tower) {
        return Optional.ofNullable(logits.get(tower));
    }
}
