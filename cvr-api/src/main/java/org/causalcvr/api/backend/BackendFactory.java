package org.causalcvr.api.backend;

import java.util.Map;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigSchema;

/**
 * Creates a {@link Backend} from configuration (preset, batch size, learning rate, epochs, seed,
 * device...). Stateless: this is what plugins bind, never the backend itself.
 */
public interface BackendFactory {
    /** The registered name, such as {@code djl}. */
    String name();

    /** One line for help texts. */
    String description();

    /** Every key it accepts. */
    ConfigSchema configSchema();

    /** A new backend; the caller closes it. */
    Backend create(Config config);

    /** A new backend from flat settings (strictly validated). */
    default Backend create(Map<String, String> settings) {
        return create(configSchema().resolve(settings));
    }
}
