package org.causalcvr.api.config;

import org.causalcvr.api.CvrException;

/**
 * A configuration that cannot be accepted: an unknown key (with the nearest known one), a value
 * that does not parse, or a value outside the allowed range (with the range).
 */
public final class ConfigException extends CvrException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** {@code '<key>' = <value> is out of range: allowed <range>}. */
    public static ConfigException outOfRange(String key, Object value, String allowed) {
        return new ConfigException(
                "Config key '" + key + "' = " + value + " is out of range: allowed " + allowed);
    }
}
