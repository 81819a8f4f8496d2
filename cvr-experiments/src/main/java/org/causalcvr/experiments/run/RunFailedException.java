package org.causalcvr.experiments.run;

import org.causalcvr.api.CvrException;

/**
 * A run that started with good input and failed on the way (a NaN loss, a backend error): the
 * message names the estimator and the seed. The CLI maps it to exit code 3.
 */
public final class RunFailedException extends CvrException {
    private static final long serialVersionUID = 1L;

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
