package org.causalcvr.api.plugin;

import org.causalcvr.api.CvrException;

/** Two plugins registered the same name: start-up fails, naming both plugins. */
public final class DuplicateNameException extends CvrException {
    private static final long serialVersionUID = 1L;

    public DuplicateNameException(
            String kind, String name, String firstPlugin, String secondPlugin) {
        super(
                "The "
                        + kind
                        + " name '"
                        + name
                        + "' is registered by two plugins: "
                        + firstPlugin
                        + " and "
                        + secondPlugin);
    }
}
