package org.causalcvr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.DataException;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.convert.AliCcpRawConverter;
import org.causalcvr.data.arrow.convert.AliCcpRules;
import org.causalcvr.data.arrow.convert.AliCcpRules.Items;
import scala.Tuple2;

/**
 * The raw Ali-CCP conversion (Tianchi's {@code sample_skeleton_*.csv} joined with {@code
 * common_features_*.csv}) on Spark, with the rules of cvr-data-arrow's {@link AliCcpRules} (those
 * of {@link AliCcpRawConverter}) and the same {@link AliCcpRawConverter.Options}: the same rows, in
 * skeleton order, with the same ids, weights and groups.
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
        AliCcpRules rules = new AliCcpRules(options);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try {
            IdEncoder encoder =
                    options.encoding().buckets() > 0
                            ? IdEncoder.hashing(options.encoding().buckets())
                            : vocabulary(jsc, splits.get(0), rules, options.encoding().minCount());
            ExposureLogSchema schema = rules.schema(encoder::cardinality);
            Broadcast<IdEncoder> shared = jsc.broadcast(encoder);
            List<Converted> out = new ArrayList<>();
            for (Split s : splits) {
                out.add(
                        convert(
                                spark,
                                jsc,
                                s,
                                rules,
                                options.conversionWithoutClick(),
                                shared,
                                schema,
                                encoder));
            }
            return out;
        } catch (RuntimeException e) {
            throw SparkErrors.unwrap(e);
        }
    }

    /** A checked skeleton line and its line number. */
    private record Sample(long line, AliCcpRules.SkeletonLine columns) implements Serializable {}

    private static JavaRDD<Sample> samples(JavaSparkContext jsc, String file, AliCcpRules rules) {
        return jsc.textFile(file)
                .zipWithIndex()
                .filter(t -> !t._1().isEmpty())
                .map(
                        t -> {
                            long line = t._2() + 1;
                            AliCcpRules.Errors at = errors(file, line);
                            AliCcpRules.SkeletonLine c = AliCcpRules.skeletonLine(t._1(), at);
                            rules.parse(c.featureList(), c.featureNum(), at, new Items());
                            return new Sample(line, c);
                        });
    }

    /** (common_feature_index, feature list), every line checked. */
    private static JavaPairRDD<String, String> commons(
            JavaSparkContext jsc, String file, AliCcpRules rules) {
        return jsc.textFile(file)
                .zipWithIndex()
                .filter(t -> !t._1().isEmpty())
                .mapToPair(
                        t -> {
                            long line = t._2() + 1;
                            AliCcpRules.Errors at = errors(file, line);
                            AliCcpRules.CommonLine c = AliCcpRules.commonLine(t._1(), at);
                            rules.parse(c.featureList(), c.featureNum(), at, new Items());
                            return new Tuple2<>(c.commonFeatureIndex(), c.featureList());
                        });
    }

    /** {@code <file>, column '<c>', line <n>: <problem>}, as the single-machine converter says. */
    private static AliCcpRules.Errors errors(String file, long line) {
        return (column, problem) ->
                new DataException(
                        file + ", column '" + column + "', line " + line + ": " + problem);
    }

    /** ((field, raw id), weight) for every kept item of an already checked list. */
    private static List<Tuple2<Tuple2<Integer, String>, Long>> items(
            AliCcpRules rules, String list, long weight) {
        Items it = rules.parseChecked(list, new Items());
        List<Tuple2<Tuple2<Integer, String>, Long>> out = new ArrayList<>(it.size());
        for (int i = 0; i < it.size(); i++) {
            out.add(new Tuple2<>(new Tuple2<>(it.field(i), it.raw(i)), weight));
        }
        return out;
    }

    private static IdEncoder vocabulary(
            JavaSparkContext jsc, Split split, AliCcpRules rules, int minCount) {
        JavaRDD<Sample> kept =
                samples(jsc, split.skeleton(), rules)
                        .filter(s -> !s.columns().conversionWithoutClick());
        JavaPairRDD<Tuple2<Integer, String>, Long> sampleCounts =
                kept.flatMapToPair(s -> items(rules, s.columns().featureList(), 1L).iterator());
        JavaPairRDD<String, Long> refs =
                kept.mapToPair(s -> new Tuple2<>(s.columns().commonFeatureIndex(), 1L))
                        .reduceByKey(Long::sum);
        JavaPairRDD<Tuple2<Integer, String>, Long> commonCounts =
                commons(jsc, split.commonFeatures(), rules)
                        .join(refs)
                        .flatMapToPair(t -> items(rules, t._2()._1(), t._2()._2()).iterator());
        List<Tuple2<Tuple2<Integer, String>, Long>> counts =
                sampleCounts
                        .union(commonCounts)
                        .reduceByKey(Long::sum)
                        .filter(t -> t._2() >= minCount)
                        .collect();
        return IdEncoder.vocabulary(rules.fieldCount(), counts);
    }

    private static Converted convert(
            SparkSession spark,
            JavaSparkContext jsc,
            Split split,
            AliCcpRules rules,
            ConversionPolicy conversionWithoutClick,
            Broadcast<IdEncoder> encoder,
            ExposureLogSchema schema,
            IdEncoder local) {
        JavaRDD<Sample> all = samples(jsc, split.skeleton(), rules).cache();
        long read = all.count();
        Map<String, Long> dropped = new LinkedHashMap<>();
        JavaRDD<Sample> orphanConversions = all.filter(s -> s.columns().conversionWithoutClick());
        if (conversionWithoutClick == ConversionPolicy.FAIL) {
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
        JavaPairRDD<String, String> common = commons(jsc, split.commonFeatures(), rules);
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
                all.filter(s -> !s.columns().conversionWithoutClick())
                        .mapToPair(s -> new Tuple2<>(s.columns().commonFeatureIndex(), s))
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
                                    Row r =
                                            row(
                                                    rules,
                                                    s.columns(),
                                                    t._2()._2().get(),
                                                    encoder.value());
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

    /** The encoded row of a sample joined with its common features, in the log's columns. */
    private static Row row(
            AliCcpRules rules,
            AliCcpRules.SkeletonLine sample,
            String commonList,
            IdEncoder encoder) {
        int n = rules.fieldCount();
        AliCcpRules.EncodedRow row = new AliCcpRules.EncodedRow(n);
        Items items = new Items();
        rules.fold(rules.parseChecked(commonList, items), row, encoder::encode);
        rules.fold(rules.parseChecked(sample.featureList(), items), row, encoder::encode);
        List<Object> v = new ArrayList<>();
        v.add((byte) sample.click());
        v.add((byte) sample.buy());
        for (int f = 0; f < n; f++) {
            if (rules.listField(f)) {
                Integer[] ids = new Integer[row.count(f)];
                Float[] weights = new Float[row.count(f)];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = row.ids(f)[j];
                    weights[j] = row.weights(f)[j];
                }
                v.add(ids);
                v.add(weights);
            } else {
                v.add(row.singleId(f));
            }
        }
        v.add(row.group());
        return RowFactory.create(v.toArray());
    }
}
