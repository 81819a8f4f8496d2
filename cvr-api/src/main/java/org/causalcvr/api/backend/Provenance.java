package org.causalcvr.api.backend;

import java.util.Map;

/**
 * How a trained model was made, so that any number in a report can be traced back.
 *
 * @param estimator the estimator's registered name
 * @param estimatorConfig its resolved configuration
 * @param backend the backend's registered name
 * @param backendConfig the backend's resolved configuration (preset, batch size, ...)
 * @param seed the seed all randomness was derived from
 * @param dataFingerprint the training data's {@code ExposureSource.fingerprint()}
 * @param schema the feature schema's {@code describe()}
 * @param libraryVersion causal-cvr's version
 * @param createdAt ISO-8601 instant of creation
 */
public record Provenance(
        String estimator,
        Map<String, String> estimatorConfig,
        String backend,
        Map<String, String> backendConfig,
        long seed,
        String dataFingerprint,
        String schema,
        String libraryVersion,
        String createdAt) {
    public Provenance {
        estimatorConfig = Map.copyOf(estimatorConfig);
        backendConfig = Map.copyOf(backendConfig);
    }
}
