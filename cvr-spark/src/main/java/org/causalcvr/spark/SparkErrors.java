package org.causalcvr.spark;

import org.causalcvr.api.CvrException;

/** Turns a failed Spark job back into the one-line error a task raised. */
final class SparkErrors {
    private SparkErrors() {}

    /**
     * The {@link CvrException} (such as a DataException naming a file or row) somewhere in the
     * causes of {@code e}, which Spark wraps in its job-failure exceptions; else {@code e} itself
     * as a runtime exception.
     */
    static RuntimeException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CvrException c) {
                return c;
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
}
