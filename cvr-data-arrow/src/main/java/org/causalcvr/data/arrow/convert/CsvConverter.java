package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;

/**
 * Converts CSV files with a header line to exposure logs, streaming, through a {@link CsvMapping}.
 *
 * <pre>{@code
 * var reports = CsvConverter.convert(mapping, List.of(train, test),
 *         List.of(trainArrow, testArrow), memory.root());
 * }</pre>
 *
 * Several inputs (train, validation, test splits) share one schema: a cardinality left at 0 is the
 * largest id over all inputs plus one, found by a first pass. Fields may be quoted with {@code "};
 * columns the mapping does not name are ignored (and listed in the report). A malformed value (a
 * label other than 0/1, a negative or non-integer id, an id beyond a declared cardinality, a
 * missing column) stops with a {@link DataException} naming the file, column and line; a conversion
 * without a click follows the mapping's policy. Each output is written atomically.
 */
public final class CsvConverter {
    private CsvConverter() {}

    /** {@link #convert(CsvMapping, List, List, BufferAllocator)} under the program's allocators. */
    public static List<ConversionReport> convert(
            CsvMapping mapping, List<Path> inputs, List<Path> outputs, Allocators memory) {
        return convert(mapping, inputs, outputs, memory.root());
    }

    /** Converts {@code inputs.get(i)} to {@code outputs.get(i)}; returns one report per input. */
    public static List<ConversionReport> convert(
            CsvMapping mapping, List<Path> inputs, List<Path> outputs, BufferAllocator allocator) {
        if (inputs.size() != outputs.size() || inputs.isEmpty()) {
            throw new IllegalArgumentException(
                    "Need as many outputs as inputs (at least one), got "
                            + inputs.size()
                            + " and "
                            + outputs.size());
        }
        long[] cards = new long[mapping.features().size()];
        boolean infer = false;
        for (int f = 0; f < cards.length; f++) {
            cards[f] = mapping.features().get(f).cardinality();
            infer |= cards[f] == 0;
        }
        if (infer) {
            long[] max = new long[cards.length];
            java.util.Arrays.fill(max, -1);
            for (Path in : inputs) {
                scan(mapping, in, null, max, null);
            }
            for (int f = 0; f < cards.length; f++) {
                if (cards[f] == 0) {
                    cards[f] = Math.max(1, max[f] + 1);
                }
            }
        }
        List<FeatureField> fields = new ArrayList<>();
        Set<String> weighted = new LinkedHashSet<>();
        for (int f = 0; f < cards.length; f++) {
            CsvMapping.Feature c = mapping.features().get(f);
            fields.add(new FeatureField(c.name(), c.role(), cards[f], c.multiValued()));
        }
        ExposureLogSchema schema =
                new ExposureLogSchema(
                        new FeatureSchema(
                                fields,
                                mapping.groupColumn() != null,
                                mapping.truePropensityColumn() != null,
                                mapping.dense().stream()
                                        .map(d -> new DenseField(d.name(), d.role()))
                                        .toList()),
                        weighted);
        List<ConversionReport> reports = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            try (ExposureWriter out =
                    ExposureWriter.create(
                            outputs.get(i),
                            schema,
                            allocator,
                            IpcFormat.FILE,
                            ExposureWriter.DEFAULT_BATCH_ROWS)) {
                ConversionReport.Builder report =
                        new ConversionReport.Builder(inputs.get(i).toString());
                scan(mapping, inputs.get(i), out.builder(), null, report);
                if (infer) {
                    report.note("cardinalities " + schema.features().cardinalities());
                }
                reports.add(report.build(out.commit()));
            }
        }
        return reports;
    }

    /** One pass: either records the largest ids ({@code max}) or writes rows to {@code out}. */
    private static void scan(
            CsvMapping m, Path in, BatchBuilder out, long[] max, ConversionReport.Builder report) {
        try (TextInput text = TextInput.open(in)) {
            String header = text.next();
            if (header == null) {
                throw DataException.inFile(in, "empty file (no header line)");
            }
            List<String> names = split(header, m.delimiter(), text, "header");
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i).trim(), i);
            }
            int click = column(index, m.clickColumn(), in);
            int conv = column(index, m.conversionColumn(), in);
            int n = m.features().size();
            int[] feat = new int[n];
            for (int f = 0; f < n; f++) {
                feat[f] = column(index, m.features().get(f).column(), in);
            }
            int group = m.groupColumn() == null ? -1 : column(index, m.groupColumn(), in);
            int tp =
                    m.truePropensityColumn() == null
                            ? -1
                            : column(index, m.truePropensityColumn(), in);
            int tc = m.trueCvrColumn() == null ? -1 : column(index, m.trueCvrColumn(), in);
            int[] dense = new int[m.dense().size()];
            for (int d = 0; d < dense.length; d++) {
                dense[d] = column(index, m.dense().get(d).column(), in);
            }
            if (report != null) {
                Set<String> ignored = new LinkedHashSet<>(names);
                ignored.remove(m.clickColumn());
                ignored.remove(m.conversionColumn());
                m.features().forEach(f -> ignored.remove(f.column()));
                m.dense().forEach(d -> ignored.remove(d.column()));
                ignored.remove(m.groupColumn());
                ignored.remove(m.truePropensityColumn());
                ignored.remove(m.trueCvrColumn());
                if (!ignored.isEmpty()) {
                    report.note("ignored columns " + ignored);
                }
            }
            int[] ids = new int[16];
            String line;
            while ((line = text.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                List<String> v = split(line, m.delimiter(), text, null);
                if (v.size() != names.size()) {
                    throw text.error(
                            names.get(Math.min(v.size(), names.size() - 1)),
                            v.size() + " fields, the header has " + names.size());
                }
                if (max != null) {
                    for (int f = 0; f < n; f++) {
                        CsvMapping.Feature c = m.features().get(f);
                        for (String s : values(v.get(feat[f]), c)) {
                            max[f] = Math.max(max[f], text.parseId(s, c.column()));
                        }
                    }
                    continue;
                }
                report.read();
                int o = text.parseLabel(v.get(click), m.clickColumn());
                int r = text.parseLabel(v.get(conv), m.conversionColumn());
                if (r == 1 && o == 0) {
                    if (m.conversionWithoutClick() == ConversionPolicy.FAIL) {
                        throw text.error(m.conversionColumn(), "a conversion without a click");
                    }
                    report.drop("conversion without click");
                    continue;
                }
                int row = out.addRow(o, r);
                for (int f = 0; f < n; f++) {
                    CsvMapping.Feature c = m.features().get(f);
                    long card = out.schema().field(f).cardinality();
                    if (c.multiValued()) {
                        List<String> parts = values(v.get(feat[f]), c);
                        if (ids.length < parts.size()) {
                            ids = new int[parts.size() * 2];
                        }
                        for (int j = 0; j < parts.size(); j++) {
                            ids[j] = checked(text, c, text.parseId(parts.get(j), c.column()), card);
                        }
                        out.setIds(f, row, ids, null, 0, parts.size());
                    } else {
                        out.setId(
                                f,
                                row,
                                checked(text, c, text.parseId(v.get(feat[f]), c.column()), card));
                    }
                }
                for (int d = 0; d < dense.length; d++) {
                    String column = m.dense().get(d).column();
                    float x = parseFloat(text, v.get(dense[d]), column);
                    if (!Float.isFinite(x)) {
                        throw text.error(column, x + " is not a finite number");
                    }
                    out.setDense(d, row, x);
                }
                if (group >= 0) {
                    try {
                        out.setGroup(row, Long.parseLong(v.get(group).trim()));
                    } catch (NumberFormatException e) {
                        throw text.error(
                                m.groupColumn(), "'" + v.get(group) + "' is not an integer");
                    }
                }
                if (tp >= 0) {
                    float p = parseFloat(text, v.get(tp), m.truePropensityColumn());
                    float q = parseFloat(text, v.get(tc), m.trueCvrColumn());
                    if (!(p > 0 && p <= 1)) {
                        throw text.error(m.truePropensityColumn(), p + " is outside (0, 1]");
                    }
                    if (!(q >= 0 && q <= 1)) {
                        throw text.error(m.trueCvrColumn(), q + " is outside [0, 1]");
                    }
                    out.setTruth(row, p, q);
                }
                report.written();
            }
        }
    }

    private static int checked(TextInput text, CsvMapping.Feature c, int id, long card) {
        if (id >= card) {
            throw text.error(
                    c.column(),
                    "id " + id + " is outside the declared cardinality [0, " + card + ")");
        }
        return id;
    }

    private static float parseFloat(TextInput text, String s, String column) {
        try {
            float x = Float.parseFloat(s.trim());
            if (Float.isNaN(x)) {
                throw text.error(column, "NaN ground truth");
            }
            return x;
        } catch (NumberFormatException e) {
            throw text.error(column, "'" + s + "' is not a number");
        }
    }

    private static List<String> values(String field, CsvMapping.Feature c) {
        if (!c.multiValued()) {
            return List.of(field);
        }
        if (field.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= field.length(); i++) {
            if (i == field.length() || field.charAt(i) == c.listSeparator()) {
                out.add(field.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    private static int column(Map<String, Integer> index, String name, Path in) {
        Integer i = index.get(name);
        if (i == null) {
            throw new DataException(
                    in + ", column '" + name + "': missing from the header " + index.keySet());
        }
        return i;
    }

    /** Splits one CSV line; fields may be quoted with {@code "} ({@code ""} inside is a quote). */
    static List<String> split(String line, char delimiter, TextInput text, String what) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    sb.append(ch);
                }
            } else if (ch == '"' && sb.length() == 0) {
                quoted = true;
            } else if (ch == delimiter) {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(ch);
            }
        }
        if (quoted) {
            throw text.error(what == null ? "?" : what, "unterminated quote");
        }
        out.add(sb.toString());
        return out;
    }
}
