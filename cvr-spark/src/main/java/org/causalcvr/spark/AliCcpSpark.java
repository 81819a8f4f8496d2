package org.causalcvr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.convert.AliCcpProcessed;
import org.causalcvr.data.arrow.convert.AliCcpRawConverter;
import org.causalcvr.data.arrow.convert.AliCcpRawConverter.MultiValuedPolicy;
import scala.Tuple2;

/**
 * The raw Ali-CCP conversion (Tianchi's {@code sample_skeleton_*.csv} joined with {@code
 * common_features_*.csv}) on Spark, with the definitions of cvr-data-arrow's {@link
 * AliCcpRawConverter} and the same {@link AliCcpRawConverter.Options}: the same rows, in skeleton
 * order, with the same ids, weights and groups.
 *
 * <p>Spark does the work that grows with the data: parsing and checking every line, counting the
 * vocabulary over the joined exposures (sample features per sample, common features once per sample
 * that refers to them), the join, and the encoding; the driver only sorts the vocabulary it then
 * broadcasts. The vocabulary (if any) is built on the first split and used for every split.
 */
public final class AliCcpSpark {
    private AliCcpSpark() {}

    /** One split: the skeleton and common-features files (any Hadoop path Spark reads). */
    public record Split(String skeleton, String commonFeatures) {}

    /**
     * One converted split.
     *
     * @param log the exposure log, rows in skeleton order
     * @param rowsRead skeleton rows read
     * @param dropped rows dropped, by reason (the converter's wording)
     * @param vocabularySizes per field, without the OOV id (empty when hashing)
     */
    public record Converted(
            ExposureLogFrame log,
            long rowsRead,
            Map<String, Long> dropped,
            long[] vocabularySizes) {
        /** Rows in the log. */
        public long rowsWritten() {
            long d = dropped.values().stream().mapToLong(Long::longValue).sum();
            return rowsRead - d;
        }
    }

    /** Converts the splits, building the vocabulary (if any) on the first. */
    public static List<Converted> convert(
            SparkSession spark, List<Split> splits, AliCcpRawConverter.Options options) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("No split to convert");
        }
        Spec spec = new Spec(options);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try {
            IdEncoder encoder =
                    options.encoding().buckets() > 0
                            ? IdEncoder.hashing(options.encoding().buckets())
                            : vocabulary(jsc, splits.get(0), spec, options.encoding().minCount());
            ExposureLogSchema schema = schema(spec, encoder);
            Broadcast<IdEncoder> shared = jsc.broadcast(encoder);
            List<Converted> out = new ArrayList<>();
            for (Split s : splits) {
                out.add(convert(spark, jsc, s, spec, shared, schema, encoder));
            }
            return out;
        } catch (RuntimeException e) {
            throw SparkErrors.unwrap(e);
        }
    }

    private static ExposureLogSchema schema(Spec spec, IdEncoder encoder) {
        List<FeatureField> fields = new ArrayList<>();
        Set<String> weighted = new LinkedHashSet<>();
        for (int f = 0; f < spec.fields.length; f++) {
            String name = spec.fields[f];
            fields.add(
                    new FeatureField(
                            name,
                            AliCcpProcessed.role(name),
                            encoder.cardinality(f),
                            spec.list[f]));
            if (spec.list[f]) {
                weighted.add(name);
            }
        }
        return new ExposureLogSchema(new FeatureSchema(fields, true, false), weighted);
    }

    /** A parsed skeleton line. */
    private record Sample(long line, int click, int buy, String common, String features)
            implements Serializable {}

    private static JavaRDD<Sample> samples(JavaSparkContext jsc, String file, Spec spec) {
        return jsc.textFile(file)
                .zipWithIndex()
                .filter(t -> !t._1().isEmpty())
                .map(
                        t -> {
                            long line = t._2() + 1;
                            String[] c = Lines.columns(t._1(), 6, SKELETON, file, line);
                            int click = Lines.label(c[1], "click", file, line);
                            int buy = Lines.label(c[2], "buy", file, line);
                            int declared = Lines.integer(c[4], "feature_num", file, line);
                            spec.parse(c[5], declared, file, line); // checks the list
                            return new Sample(line, click, buy, c[3], c[5]);
                        });
    }

    /** (common_feature_index, feature list), every line checked. */
    private static JavaPairRDD<String, String> commons(
            JavaSparkContext jsc, String file, Spec spec) {
        return jsc.textFile(file)
                .zipWithIndex()
                .filter(t -> !t._1().isEmpty())
                .mapToPair(
                        t -> {
                            long line = t._2() + 1;
                            String[] c = Lines.columns(t._1(), 3, COMMON, file, line);
                            int declared = Lines.integer(c[1], "feature_num", file, line);
                            spec.parse(c[2], declared, file, line);
                            return new Tuple2<>(c[0], c[2]);
                        });
    }

    private static IdEncoder vocabulary(
            JavaSparkContext jsc, Split split, Spec spec, int minCount) {
        JavaRDD<Sample> kept =
                samples(jsc, split.skeleton(), spec).filter(s -> !(s.buy() == 1 && s.click() == 0));
        JavaPairRDD<Tuple2<Integer, String>, Long> sampleCounts =
                kept.flatMapToPair(s -> spec.items(s.features(), 1L).iterator());
        JavaPairRDD<String, Long> refs =
                kept.mapToPair(s -> new Tuple2<>(s.common(), 1L)).reduceByKey(Long::sum);
        JavaPairRDD<Tuple2<Integer, String>, Long> commonCounts =
                commons(jsc, split.commonFeatures(), spec)
                        .join(refs)
                        .flatMapToPair(t -> spec.items(t._2()._1(), t._2()._2()).iterator());
        List<Tuple2<Tuple2<Integer, String>, Long>> counts =
                sampleCounts
                        .union(commonCounts)
                        .reduceByKey(Long::sum)
                        .filter(t -> t._2() >= minCount)
                        .collect();
        return IdEncoder.vocabulary(spec.fields.length, counts);
    }

    private static Converted convert(
            SparkSession spark,
            JavaSparkContext jsc,
            Split split,
            Spec spec,
            Broadcast<IdEncoder> encoder,
            ExposureLogSchema schema,
            IdEncoder local) {
        JavaRDD<Sample> all = samples(jsc, split.skeleton(), spec).cache();
        long read = all.count();
        Map<String, Long> dropped = new LinkedHashMap<>();
        JavaRDD<Sample> orphanConversions = all.filter(s -> s.buy() == 1 && s.click() == 0);
        if (spec.conversionWithoutClick == ConversionPolicy.FAIL) {
            List<Sample> bad = orphanConversions.takeOrdered(1, new LineOrder());
            if (!bad.isEmpty()) {
                throw new DataException(
                        split.skeleton()
                                + ", column 'buy', line "
                                + bad.get(0).line()
                                + ": a conversion without a click");
            }
        }
        long orphans = orphanConversions.count();
        if (orphans > 0) {
            dropped.put("click 0 with buy 1", orphans);
        }
        JavaPairRDD<String, String> common = commons(jsc, split.commonFeatures(), spec);
        List<Tuple2<String, Integer>> twice =
                common.mapToPair(t -> new Tuple2<>(t._1(), 1))
                        .reduceByKey(Integer::sum)
                        .filter(t -> t._2() > 1)
                        .take(1);
        if (!twice.isEmpty()) {
            throw new DataException(
                    split.commonFeatures()
                            + ", column 'common_feature_index': '"
                            + twice.get(0)._1()
                            + "' appears twice");
        }
        JavaPairRDD<String, Tuple2<Sample, Optional<String>>> joined =
                all.filter(s -> !(s.buy() == 1 && s.click() == 0))
                        .mapToPair(s -> new Tuple2<>(s.common(), s))
                        .leftOuterJoin(common)
                        .cache();
        long unknown = joined.filter(t -> !t._2()._2().isPresent()).count();
        if (unknown > 0) {
            dropped.put("unknown common_feature_index", unknown);
        }
        int partitions = Math.max(1, all.getNumPartitions());
        JavaRDD<Row> rows =
                joined.filter(t -> t._2()._2().isPresent())
                        .mapToPair(
                                t -> {
                                    Sample s = t._2()._1();
                                    Row r = spec.encode(s, t._2()._2().get(), encoder.value());
                                    return new Tuple2<>(s.line(), r);
                                })
                        .sortByKey(true, partitions)
                        .values();
        var frame =
                new ExposureLogFrame(
                        spark.createDataFrame(rows, LogSchemas.sparkSchema(schema)), schema);
        all.unpersist();
        return new Converted(frame, read, dropped, local.vocabularySizes());
    }

    private static final class LineOrder implements java.util.Comparator<Sample>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(Sample a, Sample b) {
            return Long.compare(a.line(), b.line());
        }
    }

    private static final String[] SKELETON = {
        "sample_id", "click", "buy", "common_feature_index", "feature_num", "feature_list"
    };
    private static final String[] COMMON = {"common_feature_index", "feature_num", "feature_list"};

    /** The options, serialisable, with the parsing and encoding of one row. */
    private static final class Spec implements Serializable {
        private static final long serialVersionUID = 1L;
        private static final char ITEM_SEP = '\u0001';
        private static final char ID_SEP = '\u0002';
        private static final char VALUE_SEP = '\u0003';

        final String[] fields;
        final boolean[] multi;
        final boolean[] list;
        final MultiValuedPolicy policy;
        final int k;
        final ConversionPolicy conversionWithoutClick;
        final String groupField;
        final HashMap<String, Integer> fieldIndex = new HashMap<>();

        Spec(AliCcpRawConverter.Options o) {
            fields = o.fields().toArray(String[]::new);
            multi = new boolean[fields.length];
            list = new boolean[fields.length];
            for (int f = 0; f < fields.length; f++) {
                fieldIndex.put(fields[f], f);
                multi[f] = o.multiValuedFields().contains(fields[f]);
                list[f] = multi[f] && o.policy() != MultiValuedPolicy.LAST;
            }
            policy = o.policy();
            k = o.k();
            conversionWithoutClick = o.conversionWithoutClick();
            groupField = o.groupField();
        }

        /** Parsed items of kept fields: parallel arrays of field index, raw id and value. */
        record Items(int[] field, String[] raw, float[] value) {}

        Items parse(String text, int declared, String file, long line) {
            List<Integer> f = new ArrayList<>();
            List<String> raw = new ArrayList<>();
            List<Float> value = new ArrayList<>();
            int count = 0;
            int start = 0;
            int len = text.length();
            while (start < len) {
                int end = text.indexOf(ITEM_SEP, start);
                if (end < 0) {
                    end = len;
                }
                int a = text.indexOf(ID_SEP, start);
                int b = text.indexOf(VALUE_SEP, start);
                if (a < 0 || a > end || b < a || b > end) {
                    throw Lines.error(
                            file,
                            "feature_list",
                            line,
                            "item " + count + " is not field\\x02id\\x03value");
                }
                count++;
                Integer fi = fieldIndex.get(text.substring(start, a));
                if (fi != null) {
                    float v;
                    try {
                        v = Float.parseFloat(text.substring(b + 1, end));
                    } catch (NumberFormatException e) {
                        throw Lines.error(
                                file,
                                "feature_list",
                                line,
                                "item "
                                        + (count - 1)
                                        + ": value '"
                                        + text.substring(b + 1, end)
                                        + "' is not a number");
                    }
                    if (!Float.isFinite(v)) {
                        throw Lines.error(
                                file,
                                "feature_list",
                                line,
                                "item " + (count - 1) + ": value " + v + " is not finite");
                    }
                    f.add(fi);
                    raw.add(text.substring(a + 1, b));
                    value.add(v);
                }
                start = end + 1;
            }
            if (count != declared) {
                throw Lines.error(
                        file,
                        "feature_num",
                        line,
                        "declares " + declared + " features, the list has " + count);
            }
            int[] fa = new int[f.size()];
            float[] va = new float[f.size()];
            for (int i = 0; i < fa.length; i++) {
                fa[i] = f.get(i);
                va[i] = value.get(i);
            }
            return new Items(fa, raw.toArray(String[]::new), va);
        }

        /** ((field, raw id), weight) for every kept item of an already checked list. */
        List<Tuple2<Tuple2<Integer, String>, Long>> items(String text, long weight) {
            Items it = parse(text, countItems(text), "", 0);
            List<Tuple2<Tuple2<Integer, String>, Long>> out = new ArrayList<>(it.field().length);
            for (int i = 0; i < it.field().length; i++) {
                out.add(new Tuple2<>(new Tuple2<>(it.field()[i], it.raw()[i]), weight));
            }
            return out;
        }

        private static int countItems(String text) {
            if (text.isEmpty()) {
                return 0;
            }
            int n = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == ITEM_SEP) {
                    n++;
                }
            }
            return n;
        }

        /** The encoded row of a sample joined with its common features. */
        Row encode(Sample s, String commonList, IdEncoder encoder) {
            int n = fields.length;
            int[][] ids = new int[n][4];
            float[][] weights = new float[n][4];
            int[] counts = new int[n];
            long[] group = {-1};
            boolean[] hasGroup = {false};
            int groupIndex = fieldIndex.getOrDefault(groupField, -1);
            // common (user-side) features first, then the sample's own, as the converter folds them
            for (String text : new String[] {commonList, s.features()}) {
                Items it = parse(text, countItems(text), "", 0);
                for (int i = 0; i < it.field().length; i++) {
                    int f = it.field()[i];
                    if (f == groupIndex && !hasGroup[0]) {
                        group[0] = groupValue(it.raw()[i]);
                        hasGroup[0] = true;
                    }
                    int id = encoder.encode(f, it.raw()[i]);
                    if (!multi[f]) {
                        if (counts[f] > 0) {
                            continue; // a repeated single value: the first is kept
                        }
                    } else if (!list[f]) {
                        counts[f] = 0; // LAST: overwrite
                    } else if (policy == MultiValuedPolicy.FIRST_K && counts[f] >= k) {
                        continue;
                    }
                    if (ids[f].length == counts[f]) {
                        ids[f] = Arrays.copyOf(ids[f], counts[f] * 2);
                        weights[f] = Arrays.copyOf(weights[f], counts[f] * 2);
                    }
                    ids[f][counts[f]] = id;
                    weights[f][counts[f]] = it.value()[i];
                    counts[f]++;
                }
            }
            List<Object> v = new ArrayList<>();
            v.add((byte) s.click());
            v.add((byte) s.buy());
            for (int f = 0; f < n; f++) {
                if (list[f]) {
                    Integer[] idList = new Integer[counts[f]];
                    Float[] weightList = new Float[counts[f]];
                    for (int j = 0; j < counts[f]; j++) {
                        idList[j] = ids[f][j];
                        weightList[j] = weights[f][j];
                    }
                    v.add(idList);
                    v.add(weightList);
                } else {
                    v.add(counts[f] > 0 ? ids[f][0] : 0);
                }
            }
            v.add(hasGroup[0] ? group[0] : -1L);
            return RowFactory.create(v.toArray());
        }

        private static long groupValue(String raw) {
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                return raw.hashCode() & 0xFFFF_FFFFL;
            }
        }
    }
}
