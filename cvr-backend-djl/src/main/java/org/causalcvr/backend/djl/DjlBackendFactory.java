package org.causalcvr.backend.djl;

import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigSchema;

/**
 * Creates {@link DjlBackend}s: {@code runtime.backend("djl").create(Map.of("preset", "small"))}.
 * The keys are {@link DjlOptions#SCHEMA}'s. Stateless.
 */
public final class DjlBackendFactory implements BackendFactory {
    @Override
    public String name() {
        return "djl";
    }

    @Override
    public String description() {
        return "Shared-embedding multi-task network on DJL/PyTorch (CPU, GPU when present), sparse"
                + " lazy-Adam embeddings";
    }

    @Override
    public ConfigSchema configSchema() {
        return DjlOptions.SCHEMA;
    }

    @Override
    public DjlBackend create(Config config) {
        return new DjlBackend(DjlOptions.from(config));
    }
}
