package org.causalcvr.data.arrow.convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.causalcvr.api.DataException;

/**
 * A text file read line by line (LF or CRLF), strictly UTF-8, with the current line number for
 * messages; IO errors become one-line {@link DataException}s naming the file.
 *
 * <p>Lines are split on bytes and each line is decoded on its own, so an invalid byte is reported
 * on its own line (a reader decoding 64 KiB ahead would report the line it had reached). A UTF-8
 * byte-order mark at the start of the file is skipped, as spreadsheet programs write one.
 */
final class TextInput implements AutoCloseable {
    final Path path;
    private final InputStream in;
    private final CharsetDecoder decoder;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private long lineNumber;
    private boolean eof;

    private TextInput(Path path, InputStream in) {
        this.path = path;
        this.in = in;
        this.decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    static TextInput open(Path path) {
        if (Files.isDirectory(path)) {
            throw DataException.inFile(path, "is a directory, not a text file");
        }
        try {
            return new TextInput(path, Files.newInputStream(path));
        } catch (NoSuchFileException e) {
            throw DataException.inFile(path, "no such file");
        } catch (IOException e) {
            throw DataException.inFile(path, "cannot read (" + e.getMessage() + ")");
        }
    }

    /** The next line without its terminator, or null at the end. */
    String next() {
        if (eof) {
            return null;
        }
        int length = 0;
        try {
            while (true) {
                if (pos == limit) {
                    limit = in.read(buffer, 0, buffer.length);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        eof = true;
                        if (length == 0) {
                            return null;
                        }
                        break;
                    }
                }
                int end = pos;
                while (end < limit && buffer[end] != '\n') {
                    end++;
                }
                int n = end - pos;
                if (length + n > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
                }
                System.arraycopy(buffer, pos, line, length, n);
                length += n;
                pos = end;
                if (end < limit) {
                    pos++; // the newline
                    break;
                }
            }
        } catch (IOException e) {
            throw DataException.inFile(
                    path, "line " + (lineNumber + 1) + ": cannot read (" + e.getMessage() + ")");
        }
        lineNumber++;
        int start = 0;
        if (lineNumber == 1
                && length >= 3
                && line[0] == (byte) 0xEF
                && line[1] == (byte) 0xBB
                && line[2] == (byte) 0xBF) {
            start = 3;
        }
        if (length > start && line[length - 1] == '\r') {
            length--;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(line, start, length - start)).toString();
        } catch (CharacterCodingException e) {
            throw DataException.inFile(path, "line " + lineNumber + ": not UTF-8 text");
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
            in.close();
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
