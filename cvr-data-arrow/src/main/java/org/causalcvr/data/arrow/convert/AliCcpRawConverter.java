package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;

/**
 * Converts the raw Ali-CCP files (Tianchi's {@code sample_skeleton_*.csv} and {@code
 * common_features_*.csv}) to exposure logs.
 *
 * <p>Input format. A skeleton line is {@code sample_id,click,buy,common_feature_index,
 * feature_num,feature_list}; a common-features line is {@code common_feature_index,feature_num,
 * feature_list}. A feature list is {@code field\x02id\x03value} items separated by {@code \x01}.
 * Each sample is joined with the common (user-side) features of its index.
 *
 * <p>Output. One column per field of {@link Options#fields()}: ids are encoded either by a
 * vocabulary built on the <em>first</em> split (ids seen at least {@code minCount} times, counted
 * over the joined exposures, get 1..n by decreasing count; everything else, and a missing field, is
 * the out-of-vocabulary id 0) or by hashing into {@code [1, buckets)} (0 = missing). Multi-valued
 * fields follow {@link MultiValuedPolicy}; a single-valued field seen twice in one row keeps its
 * first id (the rest are counted in a note). {@code buy} becomes {@code conversion}; the group is
 * the raw id of {@link Options#groupField()} (-1 where missing).
 *
 * <p>Dropped and counted: rows with click 0 and buy 1 (unless the policy is FAIL), rows whose
 * common-feature index is unknown. A malformed line (wrong number of columns, a label other than
 * 0/1, a feature count that disagrees with the list, an item without its separators) stops the
 * conversion with a {@link DataException} naming the file, column and line.
 *
 * <p>Memory: the encoded common-feature table of each split, and the vocabulary, are held in
 * memory; samples stream. Three passes over the first split (counting, common table, samples), two
 * over the others.
 */
public final class AliCcpRawConverter {
    /** What to keep of a multi-valued field. */
    public enum MultiValuedPolicy {
        /** Every id, with its value as weight: a weighted list column. */
        ALL_WITH_WEIGHTS,
        /** The first k ids, with their values as weights: a weighted list column. */
        FIRST_K,
        /** The last id only: a single-valued column. */
        LAST
    }

    /**
     * Id encoding: exactly one of a vocabulary ({@code minCount ≥ 1}) or hashing ({@code buckets ≥
     * 2}).
     */
    public record Encoding(int minCount, int buckets) {
        public Encoding {
            if ((minCount > 0) == (buckets > 0) || minCount < 0 || buckets < 0 || buckets == 1) {
                throw new IllegalArgumentException(
                        "Choose a vocabulary (minCount >= 1) or hashing (buckets >= 2), got minCount="
                                + minCount
                                + ", buckets="
                                + buckets);
            }
        }

        public static Encoding vocabulary(int minCount) {
            return new Encoding(minCount, 0);
        }

        public static Encoding hashing(int buckets) {
            return new Encoding(0, buckets);
        }

        boolean hashed() {
            return buckets > 0;
        }
    }

    /**
     * @param fields the raw field ids to keep, in output order
     * @param multiValuedFields those of them that may hold several ids per row
     * @param policy what to keep of a multi-valued field
     * @param k the list length for {@link MultiValuedPolicy#FIRST_K}
     * @param encoding vocabulary or hashing
     * @param conversionWithoutClick what to do with click 0, buy 1
     * @param groupField the field whose raw id is the group (the user, {@code 101})
     */
    public record Options(
            List<String> fields,
            Set<String> multiValuedFields,
            MultiValuedPolicy policy,
            int k,
            Encoding encoding,
            ConversionPolicy conversionWithoutClick,
            String groupField) {
        public Options {
            fields = List.copyOf(fields);
            multiValuedFields = Set.copyOf(multiValuedFields);
            if (policy == MultiValuedPolicy.FIRST_K && k < 1) {
                throw new IllegalArgumentException("FIRST_K needs k >= 1, got " + k);
            }
            if (!fields.containsAll(multiValuedFields)) {
                throw new IllegalArgumentException("Multi-valued fields must be kept fields");
            }
        }

        /**
         * The 23 fields of the processed Ali-CCP, the four {@code _14} history fields weighted
         * multi-valued, a vocabulary with minimum count {@code minCount}, click-0-buy-1 rows
         * dropped and counted, user {@code 101} as group.
         */
        public static Options defaults(int minCount) {
            return new Options(
                    AliCcpProcessed.FIELDS,
                    Set.of("109_14", "110_14", "127_14", "150_14"),
                    MultiValuedPolicy.ALL_WITH_WEIGHTS,
                    0,
                    Encoding.vocabulary(minCount),
                    ConversionPolicy.DROP_AND_COUNT,
                    "101");
        }

        public Options withPolicy(MultiValuedPolicy p, int firstK) {
            return new Options(
                    fields,
                    multiValuedFields,
                    p,
                    firstK,
                    encoding,
                    conversionWithoutClick,
                    groupField);
        }

        public Options withEncoding(Encoding e) {
            return new Options(
                    fields, multiValuedFields, policy, k, e, conversionWithoutClick, groupField);
        }

        public Options withConversionWithoutClick(ConversionPolicy c) {
            return new Options(fields, multiValuedFields, policy, k, encoding, c, groupField);
        }
    }

    /** One split: its skeleton, its common features, and the Arrow file to write. */
    public record Split(Path skeleton, Path commonFeatures, Path output) {}

    private static final char ITEM_SEP = '\u0001';
    private static final char ID_SEP = '\u0002';
    private static final char VALUE_SEP = '\u0003';

    private final Options options;
    private final Map<String, Integer> fieldIndex = new HashMap<>();
    private final boolean[] listField;
    private final List<Map<String, Integer>> vocab = new ArrayList<>();
    private long extraSingleValues;

    private AliCcpRawConverter(Options options) {
        this.options = options;
        int n = options.fields().size();
        listField = new boolean[n];
        for (int f = 0; f < n; f++) {
            String name = options.fields().get(f);
            fieldIndex.put(name, f);
            listField[f] =
                    options.multiValuedFields().contains(name)
                            && options.policy() != MultiValuedPolicy.LAST;
        }
    }

    /** {@link #convert(List, Options, BufferAllocator)} under the program's allocators. */
    public static List<ConversionReport> convert(
            List<Split> splits, Options options, Allocators memory) {
        return convert(splits, options, memory.root());
    }

    /** Converts the splits; the vocabulary (if any) is built on the first. */
    public static List<ConversionReport> convert(
            List<Split> splits, Options options, BufferAllocator allocator) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("No split to convert");
        }
        AliCcpRawConverter c = new AliCcpRawConverter(options);
        if (!options.encoding().hashed()) {
            c.buildVocabulary(splits.get(0));
        }
        ExposureLogSchema schema = c.schema();
        List<ConversionReport> reports = new ArrayList<>();
        for (Split s : splits) {
            reports.add(c.convert(s, schema, allocator));
        }
        return reports;
    }

    private ExposureLogSchema schema() {
        List<FeatureField> fields = new ArrayList<>();
        Set<String> weighted = new LinkedHashSet<>();
        for (int f = 0; f < listField.length; f++) {
            String name = options.fields().get(f);
            long card =
                    options.encoding().hashed()
                            ? options.encoding().buckets()
                            : vocab.get(f).size() + 1L;
            fields.add(new FeatureField(name, AliCcpProcessed.role(name), card, listField[f]));
            if (listField[f]) {
                weighted.add(name);
            }
        }
        return new ExposureLogSchema(new FeatureSchema(fields, true, false), weighted);
    }

    /** The parsed items of one feature list, for the kept fields only. */
    private static final class Items {
        int size;
        int[] field = new int[64];
        String[] raw = new String[64];
        float[] value = new float[64];

        void add(int f, String id, float v) {
            if (size == field.length) {
                field = Arrays.copyOf(field, size * 2);
                raw = Arrays.copyOf(raw, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            field[size] = f;
            raw[size] = id;
            value[size] = v;
            size++;
        }
    }

    /** Parses a feature list; checks the count against {@code declared}. */
    private Items parse(String list, int declared, TextInput in, Items out) {
        out.size = 0;
        int count = 0;
        int start = 0;
        int len = list.length();
        while (start < len) {
            int end = list.indexOf(ITEM_SEP, start);
            if (end < 0) {
                end = len;
            }
            int a = list.indexOf(ID_SEP, start);
            int b = list.indexOf(VALUE_SEP, start);
            if (a < 0 || a > end || b < a || b > end) {
                throw in.error("feature_list", "item " + count + " is not field\\x02id\\x03value");
            }
            count++;
            Integer f = fieldIndex.get(list.substring(start, a));
            if (f != null) {
                float v;
                try {
                    v = Float.parseFloat(list.substring(b + 1, end));
                } catch (NumberFormatException e) {
                    throw in.error(
                            "feature_list",
                            "item "
                                    + (count - 1)
                                    + ": value '"
                                    + list.substring(b + 1, end)
                                    + "' is not a number");
                }
                if (!Float.isFinite(v)) {
                    throw in.error(
                            "feature_list",
                            "item " + (count - 1) + ": value " + v + " is not finite");
                }
                out.add(f, list.substring(a + 1, b), v);
            }
            start = end + 1;
        }
        if (count != declared) {
            throw in.error(
                    "feature_num", "declares " + declared + " features, the list has " + count);
        }
        return out;
    }

    private static String[] columns(String line, int expected, TextInput in, String[] names) {
        String[] out = new String[expected];
        int start = 0;
        for (int c = 0; c < expected - 1; c++) {
            int comma = line.indexOf(',', start);
            if (comma < 0) {
                throw in.error(
                        names[c + 1], "missing (" + (c + 1) + " of " + expected + " columns)");
            }
            out[c] = line.substring(start, comma);
            start = comma + 1;
        }
        out[expected - 1] = line.substring(start);
        if (out[expected - 1].indexOf(',') >= 0) {
            throw in.error(names[expected - 1], "more than " + expected + " columns");
        }
        return out;
    }

    private static final String[] SKELETON = {
        "sample_id", "click", "buy", "common_feature_index", "feature_num", "feature_list"
    };
    private static final String[] COMMON = {"common_feature_index", "feature_num", "feature_list"};

    private void buildVocabulary(Split s) {
        int n = listField.length;
        List<Map<String, long[]>> counts = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            counts.add(new HashMap<>());
        }
        Map<String, long[]> refs = new HashMap<>();
        Items items = new Items();
        try (TextInput in = TextInput.open(s.skeleton())) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] c = columns(line, 6, in, SKELETON);
                int click = in.parseLabel(c[1], "click");
                int buy = in.parseLabel(c[2], "buy");
                if (buy == 1 && click == 0) {
                    continue;
                }
                refs.computeIfAbsent(c[3], k -> new long[1])[0]++;
                parse(c[5], in.parseInt(c[4], "feature_num"), in, items);
                for (int i = 0; i < items.size; i++) {
                    counts.get(items.field[i]).computeIfAbsent(items.raw[i], k -> new long[1])[0]++;
                }
            }
        }
        try (TextInput in = TextInput.open(s.commonFeatures())) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] c = columns(line, 3, in, COMMON);
                long[] r = refs.get(c[0]);
                parse(c[2], in.parseInt(c[1], "feature_num"), in, items);
                if (r == null) {
                    continue;
                }
                for (int i = 0; i < items.size; i++) {
                    counts.get(items.field[i]).computeIfAbsent(items.raw[i], k -> new long[1])[0] +=
                            r[0];
                }
            }
        }
        for (int f = 0; f < n; f++) {
            var kept = new ArrayList<Map.Entry<String, long[]>>();
            for (var e : counts.get(f).entrySet()) {
                if (e.getValue()[0] >= options.encoding().minCount()) {
                    kept.add(e);
                }
            }
            kept.sort(
                    (a, b) ->
                            a.getValue()[0] != b.getValue()[0]
                                    ? Long.compare(b.getValue()[0], a.getValue()[0])
                                    : a.getKey().compareTo(b.getKey()));
            Map<String, Integer> v = new HashMap<>();
            for (int i = 0; i < kept.size(); i++) {
                v.put(kept.get(i).getKey(), i + 1);
            }
            vocab.add(v);
        }
    }

    private int encode(int field, String raw) {
        if (options.encoding().hashed()) {
            long h = raw.hashCode() * 0x9E37_79B9_7F4A_7C15L + field;
            h = (h ^ (h >>> 31)) * 0xBF58_476D_1CE4_E5B9L;
            h ^= h >>> 29;
            return 1 + (int) Math.floorMod(h, (long) options.encoding().buckets() - 1);
        }
        return vocab.get(field).getOrDefault(raw, 0);
    }

    /** Encoded features of one row: per field a list of ids and weights. */
    private static final class Row {
        final int[][] ids;
        final float[][] weights;
        final int[] counts;
        long group = -1;
        boolean hasGroup;

        Row(int n) {
            ids = new int[n][];
            weights = new float[n][];
            counts = new int[n];
        }
    }

    /** Folds parsed items into {@code row} (appending, so common then sample features). */
    private void fold(Items items, Row row, int groupField) {
        for (int i = 0; i < items.size; i++) {
            int f = items.field[i];
            if (f == groupField && !row.hasGroup) {
                row.group = groupValue(items.raw[i]);
                row.hasGroup = true;
            }
            int id = encode(f, items.raw[i]);
            boolean multi = options.multiValuedFields().contains(options.fields().get(f));
            if (!multi) {
                if (row.counts[f] > 0) {
                    extraSingleValues++;
                    continue;
                }
            } else if (!listField[f]) {
                // LAST: overwrite
                row.counts[f] = 0;
            } else if (options.policy() == MultiValuedPolicy.FIRST_K
                    && row.counts[f] >= options.k()) {
                continue;
            }
            if (row.ids[f] == null || row.ids[f].length == row.counts[f]) {
                int cap = row.ids[f] == null ? 4 : row.ids[f].length * 2;
                row.ids[f] = row.ids[f] == null ? new int[cap] : Arrays.copyOf(row.ids[f], cap);
                row.weights[f] =
                        row.weights[f] == null
                                ? new float[cap]
                                : Arrays.copyOf(row.weights[f], cap);
            }
            row.ids[f][row.counts[f]] = id;
            row.weights[f][row.counts[f]] = items.value[i];
            row.counts[f]++;
        }
    }

    private static long groupValue(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return raw.hashCode() & 0xFFFF_FFFFL;
        }
    }

    private Row copy(Row r) {
        Row c = new Row(r.ids.length);
        for (int f = 0; f < r.ids.length; f++) {
            c.counts[f] = r.counts[f];
            if (r.counts[f] > 0) {
                c.ids[f] = Arrays.copyOf(r.ids[f], r.counts[f]);
                c.weights[f] = Arrays.copyOf(r.weights[f], r.counts[f]);
            }
        }
        c.group = r.group;
        c.hasGroup = r.hasGroup;
        return c;
    }

    private ConversionReport convert(Split s, ExposureLogSchema schema, BufferAllocator allocator) {
        int n = listField.length;
        int groupField = fieldIndex.getOrDefault(options.groupField(), -1);
        extraSingleValues = 0;
        Items items = new Items();
        Map<String, Row> common = new HashMap<>();
        try (TextInput in = TextInput.open(s.commonFeatures())) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] c = columns(line, 3, in, COMMON);
                Row r = new Row(n);
                fold(parse(c[2], in.parseInt(c[1], "feature_num"), in, items), r, groupField);
                if (common.put(c[0], copy(r)) != null) {
                    throw in.error("common_feature_index", "'" + c[0] + "' appears twice");
                }
            }
        }
        ConversionReport.Builder report =
                new ConversionReport.Builder(
                        s.skeleton() + " + " + s.commonFeatures().getFileName());
        try (TextInput in = TextInput.open(s.skeleton());
                ExposureWriter out =
                        ExposureWriter.create(
                                s.output(),
                                schema,
                                allocator,
                                IpcFormat.FILE,
                                ExposureWriter.DEFAULT_BATCH_ROWS)) {
            BatchBuilder b = out.builder();
            Row row = new Row(n);
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] c = columns(line, 6, in, SKELETON);
                report.read();
                int click = in.parseLabel(c[1], "click");
                int buy = in.parseLabel(c[2], "buy");
                parse(c[5], in.parseInt(c[4], "feature_num"), in, items);
                if (buy == 1 && click == 0) {
                    if (options.conversionWithoutClick() == ConversionPolicy.FAIL) {
                        throw in.error("buy", "a conversion without a click");
                    }
                    report.drop("click 0 with buy 1");
                    continue;
                }
                Row shared = common.get(c[3]);
                if (shared == null) {
                    report.drop("unknown common_feature_index");
                    continue;
                }
                for (int f = 0; f < n; f++) {
                    row.counts[f] = shared.counts[f];
                    if (shared.counts[f] > 0) {
                        if (row.ids[f] == null || row.ids[f].length < shared.counts[f]) {
                            row.ids[f] = new int[Math.max(4, shared.counts[f] * 2)];
                            row.weights[f] = new float[row.ids[f].length];
                        }
                        System.arraycopy(shared.ids[f], 0, row.ids[f], 0, shared.counts[f]);
                        System.arraycopy(shared.weights[f], 0, row.weights[f], 0, shared.counts[f]);
                    }
                }
                row.group = shared.group;
                row.hasGroup = shared.hasGroup;
                fold(items, row, groupField);
                int r = b.addRow(click, buy);
                for (int f = 0; f < n; f++) {
                    if (listField[f]) {
                        b.setIds(f, r, row.ids[f], row.weights[f], 0, row.counts[f]);
                    } else {
                        b.setId(f, r, row.counts[f] > 0 ? row.ids[f][0] : 0);
                    }
                }
                b.setGroup(r, row.hasGroup ? row.group : -1);
                report.written();
            }
            if (!options.encoding().hashed()) {
                long[] sizes = vocab.stream().mapToLong(Map::size).toArray();
                report.note("vocabulary sizes (without OOV id 0) " + Arrays.toString(sizes));
            }
            if (extraSingleValues > 0) {
                report.note(
                        extraSingleValues
                                + " repeated values of single-valued fields ignored (first kept)");
            }
            report.note(common.size() + " common-feature rows");
            return report.build(out.commit());
        }
    }
}
