package org.causalcvr.metrics;

import org.causalcvr.api.CvrException;

/**
 * A metric that the data cannot define: AUC with one class only, GAUC with no group holding both
 * classes, a mean over zero rows. The message names the metric and the counts.
 */
public final class UndefinedMetricException extends CvrException {
    private static final long serialVersionUID = 1L;

    public UndefinedMetricException(String message) {
        super(message);
    }
}
