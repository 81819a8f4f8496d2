package org.causalcvr.spark;

import org.causalcvr.api.DataException;

/** Checked parsing of delimited text lines, with errors naming the file, column and line. */
final class Lines {
    private Lines() {}

    /** {@code <file>, column '<c>', line <n>: <problem>}, as cvr-data-arrow's converters say it. */
    static DataException error(String file, String column, long line, String problem) {
        return new DataException(file + ", column '" + column + "', line " + line + ": " + problem);
    }

    /** The {@code expected} comma-separated columns of {@code line}. */
    static String[] columns(String text, int expected, String[] names, String file, long line) {
        String[] out = new String[expected];
        int start = 0;
        for (int c = 0; c < expected - 1; c++) {
            int comma = text.indexOf(',', start);
            if (comma < 0) {
                throw error(
                        file,
                        names[c + 1],
                        line,
                        "missing (" + (c + 1) + " of " + expected + " columns)");
            }
            out[c] = text.substring(start, comma);
            start = comma + 1;
        }
        out[expected - 1] = text.substring(start);
        if (out[expected - 1].indexOf(',') >= 0) {
            throw error(file, names[expected - 1], line, "more than " + expected + " columns");
        }
        return out;
    }

    /** A 0/1 label; {@code 0.0} and {@code 1.0} are accepted too. */
    static int label(String text, String column, String file, long line) {
        return switch (text.trim()) {
            case "0", "0.0" -> 0;
            case "1", "1.0" -> 1;
            default -> throw error(file, column, line, "label '" + text + "' is not 0 or 1");
        };
    }

    static int integer(String text, String column, String file, long line) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw error(file, column, line, "'" + text + "' is not an integer");
        }
    }
}
