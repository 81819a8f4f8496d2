package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a conversion read, wrote and left out.
 *
 * @param input the input file(s), for messages
 * @param output the Arrow file written
 * @param rowsRead input rows (exposures) seen
 * @param rowsWritten rows written
 * @param dropped rows left out, by reason (for example {@code conversion without click})
 * @param notes other facts a user should know (ignored columns, vocabulary sizes)
 */
public record ConversionReport(
        String input,
        Path output,
        long rowsRead,
        long rowsWritten,
        Map<String, Long> dropped,
        List<String> notes) {
    public ConversionReport {
        dropped = Map.copyOf(dropped);
        notes = List.copyOf(notes);
    }

    /** Rows dropped for any reason. */
    public long droppedRows() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One line: {@code in -> out: read N, wrote M, dropped K (reason: n, ...)}. */
    public String summary() {
        StringBuilder sb =
                new StringBuilder()
                        .append(input)
                        .append(" -> ")
                        .append(output)
                        .append(": read ")
                        .append(rowsRead)
                        .append(", wrote ")
                        .append(rowsWritten)
                        .append(", dropped ")
                        .append(droppedRows());
        if (!dropped.isEmpty()) {
            sb.append(" (");
            String sep = "";
            for (var e : new TreeMap<>(dropped).entrySet()) {
                sb.append(sep).append(e.getKey()).append(": ").append(e.getValue());
                sep = ", ";
            }
            sb.append(")");
        }
        for (String n : notes) {
            sb.append("; ").append(n);
        }
        return sb.toString();
    }

    /** Accumulates a report. */
    static final class Builder {
        private final String input;
        private long read;
        private long written;
        private final Map<String, Long> dropped = new TreeMap<>();
        private final List<String> notes = new java.util.ArrayList<>();

        Builder(String input) {
            this.input = input;
        }

        void read() {
            read++;
        }

        void written() {
            written++;
        }

        void drop(String reason) {
            dropped.merge(reason, 1L, Long::sum);
        }

        void counts(long rowsRead, long rowsWritten) {
            read += rowsRead;
            written += rowsWritten;
        }

        void drop(String reason, long rows) {
            if (rows > 0) {
                dropped.merge(reason, rows, Long::sum);
            }
        }

        void note(String note) {
            notes.add(note);
        }

        ConversionReport build(Path output) {
            return new ConversionReport(input, output, read, written, dropped, notes);
        }
    }
}
