package org.causalcvr.api;

/**
 * The base of every error this library reports to a user.
 *
 * <p>Contract: the message is one line that names what was wrong (the file, row, column, key or
 * value) and, where there is one, what would have been accepted. Command-line tools print the
 * message alone and exit with a non-zero code, so it must make sense without a stack trace.
 */
public class CvrException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CvrException(String message) {
        super(message);
    }

    public CvrException(String message, Throwable cause) {
        super(message, cause);
    }
}
