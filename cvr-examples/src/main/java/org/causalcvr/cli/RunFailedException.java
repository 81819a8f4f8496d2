package org.causalcvr.cli;

import org.causalcvr.api.CvrException;

/** A run that started with good input and failed on the way (exit code 3). */
public final class RunFailedException extends CvrException {
    private static final long serialVersionUID = 1L;

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
