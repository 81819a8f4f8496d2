package org.causalcvr.data.arrow.convert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.causalcvr.api.DataException;

/**
 * A text file read line by line (LF or CRLF), strictly UTF-8, with the current line number for
 * messages; IO errors become one-line {@link DataException}s naming the file.
 */
final class TextInput implements AutoCloseable {
    final Path path;
    private final BufferedReader reader;
    private long lineNumber;

    private TextInput(Path path, BufferedReader reader) {
        this.path = path;
        this.reader = reader;
    }

    static TextInput open(Path path) {
        if (Files.isDirectory(path)) {
            throw DataException.inFile(path, "is a directory, not a text file");
        }
        try {
            var decoder =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
            return new TextInput(
                    path,
                    new BufferedReader(
                            new InputStreamReader(Files.newInputStream(path), decoder), 1 << 16));
        } catch (NoSuchFileException e) {
            throw DataException.inFile(path, "no such file");
        } catch (IOException e) {
            throw DataException.inFile(path, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** The next line without its terminator, or null at the end. */
    String next() {
        try {
            String line = reader.readLine();
            if (line != null) {
                lineNumber++;
            }
            return line;
        } catch (CharacterCodingException e) {
            throw DataException.inFile(path, "line " + (lineNumber + 1) + ": not UTF-8 text");
        } catch (IOException e) {
            throw DataException.inFile(
                    path, "line " + (lineNumber + 1) + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** 1-based number of the line last returned. */
    long lineNumber() {
        return lineNumber;
    }

    /** {@code <file>, column '<c>', line <n>: <problem>}. */
    DataException error(String column, String problem) {
        return new DataException(
                path + ", column '" + column + "', line " + lineNumber + ": " + problem);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // read-only input
        }
    }

    /** Parses a non-negative int, or fails naming the column and line. */
    int parseId(String text, String column) {
        int v = parseInt(text, column);
        if (v < 0) {
            throw error(column, "id " + v + " is negative");
        }
        return v;
    }

    int parseInt(String text, String column) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw error(column, "'" + text + "' is not an integer");
        }
    }

    /** A 0/1 label; {@code 0.0} and {@code 1.0} are accepted too. */
    int parseLabel(String text, String column) {
        String t = text.trim();
        switch (t) {
            case "0", "0.0" -> {
                return 0;
            }
            case "1", "1.0" -> {
                return 1;
            }
            default -> throw error(column, "label '" + text + "' is not 0 or 1");
        }
    }
}
