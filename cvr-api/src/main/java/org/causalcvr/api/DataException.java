package org.causalcvr.api;

import java.nio.file.Path;

/**
 * Bad input data: a file that cannot be read, a missing or mistyped column, a value out of its
 * domain. The message names the file and, when known, the column and the row (or batch).
 */
public final class DataException extends CvrException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code <file>: <problem>}. */
    public static DataException inFile(Path file, String problem) {
        return new DataException(file + ": " + problem);
    }

    /** {@code <file>, column '<column>', row <row>: <problem>} (rows counted from 0). */
    public static DataException atRow(Path file, String column, long row, String problem) {
        return new DataException(
                (file == null ? "<memory>" : file.toString())
                        + ", column '"
                        + column
                        + "', row "
                        + row
                        + ": "
                        + problem);
    }
}
