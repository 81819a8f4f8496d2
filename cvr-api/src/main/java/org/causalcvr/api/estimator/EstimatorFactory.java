package org.causalcvr.api.estimator;

import java.util.Map;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigSchema;

/**
 * Creates an {@link Estimator} from configuration. Factories are what plugins bind (never trained
 * models): stateless, cheap, thread-safe.
 *
 * <pre>{@code
 * CvrBinders.estimators(binder()).addBinding("multi-dr").to(MultiDrFactory.class);
 * }</pre>
 */
public interface EstimatorFactory {
    /** The name it is registered under (must equal the MapBinder key). */
    String name();

    /** One line for {@code cvr estimators}: what it estimates and from which paper. */
    String description();

    /** Every key it accepts, with defaults and allowed ranges. */
    ConfigSchema configSchema();

    /** Creates the estimator from a resolved configuration of {@link #configSchema()}. */
    Estimator create(Config config);

    /**
     * Creates the estimator from flat string settings; unknown keys and bad values fail with a
     * {@link org.causalcvr.api.config.ConfigException} naming them.
     */
    default Estimator create(Map<String, String> settings) {
        return create(configSchema().resolve(settings));
    }
}
