package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
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

    private final Options options;
    private final AliCcpRules rules;
    private final List<Map<String, Integer>> vocab = new ArrayList<>();
    private long extraSingleValues;

    private AliCcpRawConverter(Options options) {
        this.options = options;
        this.rules = new AliCcpRules(options);
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
        ExposureLogSchema schema =
                c.rules.schema(
                        f ->
                                options.encoding().hashed()
                                        ? options.encoding().buckets()
                                        : c.vocab.get(f).size() + 1L);
        List<ConversionReport> reports = new ArrayList<>();
        for (Split s : splits) {
            reports.add(c.convert(s, schema, allocator));
        }
        return reports;
    }

    private void buildVocabulary(Split s) {
        int n = rules.fieldCount();
        List<Map<String, long[]>> counts = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            counts.add(new HashMap<>());
        }
        Map<String, long[]> refs = new HashMap<>();
        AliCcpRules.Items items = new AliCcpRules.Items();
        try (TextInput in = TextInput.open(s.skeleton())) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                AliCcpRules.SkeletonLine sample = AliCcpRules.skeletonLine(line, in::error);
                if (sample.conversionWithoutClick()) {
                    continue;
                }
                refs.computeIfAbsent(sample.commonFeatureIndex(), k -> new long[1])[0]++;
                rules.parse(sample.featureList(), sample.featureNum(), in::error, items);
                for (int i = 0; i < items.size(); i++) {
                    counts.get(items.field(i)).computeIfAbsent(items.raw(i), k -> new long[1])[0]++;
                }
            }
        }
        try (TextInput in = TextInput.open(s.commonFeatures())) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                AliCcpRules.CommonLine common = AliCcpRules.commonLine(line, in::error);
                long[] r = refs.get(common.commonFeatureIndex());
                rules.parse(common.featureList(), common.featureNum(), in::error, items);
                if (r == null) {
                    continue;
                }
                for (int i = 0; i < items.size(); i++) {
                    counts.get(items.field(i)).computeIfAbsent(items.raw(i), k -> new long[1])[0] +=
                            r[0];
                }
            }
        }
        for (int f = 0; f < n; f++) {
            vocab.add(
                    AliCcpRules.vocabulary(
                            counts.get(f), c -> c[0], options.encoding().minCount()));
        }
    }

    private int encode(int field, String raw) {
        if (options.encoding().hashed()) {
            return AliCcpRules.hashedId(field, raw, options.encoding().buckets());
        }
        return vocab.get(field).getOrDefault(raw, 0);
    }

    private ConversionReport convert(Split s, ExposureLogSchema schema, BufferAllocator allocator) {
        int n = rules.fieldCount();
        extraSingleValues = 0;
        AliCcpRules.Items items = new AliCcpRules.Items();
        Map<String, AliCcpRules.EncodedRow> common = new HashMap<>();
        try (TextInput in = TextInput.open(s.commonFeatures())) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                AliCcpRules.CommonLine c = AliCcpRules.commonLine(line, in::error);
                AliCcpRules.EncodedRow r = new AliCcpRules.EncodedRow(n);
                extraSingleValues +=
                        rules.fold(
                                rules.parse(c.featureList(), c.featureNum(), in::error, items),
                                r,
                                this::encode);
                if (common.put(c.commonFeatureIndex(), r) != null) {
                    throw in.error(
                            "common_feature_index",
                            "'" + c.commonFeatureIndex() + "' appears twice");
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
            AliCcpRules.EncodedRow row = new AliCcpRules.EncodedRow(n);
            String line;
            while ((line = in.next()) != null) {
                if (line.isEmpty()) {
                    continue;
                }
                AliCcpRules.SkeletonLine sample = AliCcpRules.skeletonLine(line, in::error);
                report.read();
                rules.parse(sample.featureList(), sample.featureNum(), in::error, items);
                if (sample.conversionWithoutClick()) {
                    if (options.conversionWithoutClick() == ConversionPolicy.FAIL) {
                        throw in.error("buy", "a conversion without a click");
                    }
                    report.drop("click 0 with buy 1");
                    continue;
                }
                AliCcpRules.EncodedRow shared = common.get(sample.commonFeatureIndex());
                if (shared == null) {
                    report.drop("unknown common_feature_index");
                    continue;
                }
                row.setTo(shared);
                extraSingleValues += rules.fold(items, row, this::encode);
                int r = b.addRow(sample.click(), sample.buy());
                for (int f = 0; f < n; f++) {
                    if (rules.listField(f)) {
                        b.setIds(f, r, row.ids(f), row.weights(f), 0, row.count(f));
                    } else {
                        b.setId(f, r, row.singleId(f));
                    }
                }
                b.setGroup(r, row.group());
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
