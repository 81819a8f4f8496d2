package org.causalcvr.estimators.kit;

import java.util.List;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.EstimatorFactory;

/**
 * The shared part of the paper's factories: a name, a one-line description, a strict schema, and a
 * check that a {@link Config} was resolved against that schema. Stateless and thread-safe.
 */
public abstract class ConfiguredEstimatorFactory implements EstimatorFactory {
    private final String name;
    private final String description;
    private final ConfigSchema schema;

    protected ConfiguredEstimatorFactory(String name, String description, List<ConfigKey<?>> keys) {
        this.name = name;
        this.description = description;
        this.schema = new ConfigSchema("estimator " + name, keys);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ConfigSchema configSchema() {
        return schema;
    }

    @Override
    public final Estimator create(Config config) {
        if (!config.schema().owner().equals(schema.owner())) {
            throw new ConfigException(
                    "A configuration for "
                            + config.schema().owner()
                            + " was given to "
                            + schema.owner());
        }
        return build(config);
    }

    /** Builds the estimator from a configuration of this factory's schema. */
    protected abstract Estimator build(Config config);

    @Override
    public String toString() {
        return name;
    }
}
