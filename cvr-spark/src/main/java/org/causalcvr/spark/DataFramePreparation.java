package org.causalcvr.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.ExposureLogSchema;
import scala.Tuple2;
import scala.collection.immutable.Seq;

/**
 * Any DataFrame (Hive table, Parquet, CSV, JDBC...) to an exposure log: labels taken from two
 * columns, each feature column's raw values (any type, read as text; an array column is a
 * multi-valued field) encoded to ids by a vocabulary Spark counts or by hashing, with {@link
 * IdEncoder}'s definitions. Row order is kept (no shuffle touches the rows).
 */
public final class DataFramePreparation {
    private DataFramePreparation() {}

    /**
     * A feature column.
     *
     * @param column the column name (also the field name)
     * @param role the field's role
     */
    public record FeatureColumn(String column, FieldRole role) {
        /** Parses {@code column:role}. */
        public static FeatureColumn parse(String text) {
            String[] p = text.split(":", -1);
            if (p.length != 2) {
                throw new DataException("Feature '" + text + "' is not COLUMN:ROLE");
            }
            try {
                return new FeatureColumn(
                        p[0], FieldRole.valueOf(p[1].toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new DataException(
                        "Feature '"
                                + text
                                + "': unknown role '"
                                + p[1]
                                + "'; known: context, cross, item, user");
            }
        }
    }

    /**
     * What to prepare.
     *
     * @param click the click label column (0/1)
     * @param conversion the conversion label column (0/1)
     * @param features the feature columns, in output order
     * @param group the group column (user or page view), if any
     * @param minCount the vocabulary's minimum count (0 when hashing)
     * @param buckets hash buckets per field (0 for a vocabulary)
     * @param conversionWithoutClick what to do with a conversion on an unclicked row
     */
    public record Spec(
            String click,
            String conversion,
            List<FeatureColumn> features,
            Optional<String> group,
            int minCount,
            int buckets,
            ConversionPolicy conversionWithoutClick) {
        public Spec {
            features = List.copyOf(features);
            if ((minCount > 0) == (buckets > 0) || buckets == 1) {
                throw new IllegalArgumentException(
                        "Choose a vocabulary (minCount >= 1) or hashing (buckets >= 2)");
            }
            if (features.isEmpty()) {
                throw new IllegalArgumentException("No feature column");
            }
        }
    }

    /** The prepared log and what preparation dropped. */
    public record Prepared(
            ExposureLogFrame log, long conversionsWithoutClickDropped, long[] vocabularySizes) {}

    /**
     * Prepares {@code df}.
     *
     * @throws DataException naming the column for a missing column or a bad label
     */
    public static Prepared prepare(Dataset<Row> df, Spec spec) {
        try {
            return run(df, spec);
        } catch (RuntimeException e) {
            throw SparkErrors.unwrap(e);
        }
    }

    private static Prepared run(Dataset<Row> df, Spec spec) {
        Set<String> seen = new HashSet<>();
        List<String> needed = new ArrayList<>(List.of(spec.click(), spec.conversion()));
        spec.features().forEach(f -> needed.add(f.column()));
        spec.group().ifPresent(needed::add);
        for (String c : needed) {
            if (!List.of(df.columns()).contains(c)) {
                throw new DataException(
                        "Column '"
                                + c
                                + "': not in the DataFrame ("
                                + df.schema().simpleString()
                                + ")");
            }
        }
        int n = spec.features().size();
        boolean[] multi = new boolean[n];
        for (int f = 0; f < n; f++) {
            FeatureColumn fc = spec.features().get(f);
            if (!seen.add(fc.column()) || ReservedColumns.isReserved(fc.column())) {
                throw new DataException(
                        "Column '" + fc.column() + "': listed twice, or a reserved name");
            }
            StructField field = df.schema().apply(fc.column());
            multi[f] = field.dataType() instanceof ArrayType;
        }
        Dataset<Row> labelled =
                df.withColumn("__click", col(spec.click()).cast(DataTypes.StringType))
                        .withColumn(
                                "__conversion", col(spec.conversion()).cast(DataTypes.StringType));
        Dataset<Row> orphan =
                labelled.filter("__conversion in ('1', '1.0') and __click in ('0', '0.0')");
        long orphans = orphan.count();
        if (orphans > 0 && spec.conversionWithoutClick() == ConversionPolicy.FAIL) {
            throw new DataException(
                    "Column '"
                            + spec.conversion()
                            + "': "
                            + orphans
                            + " conversions without a click");
        }
        Dataset<Row> filtered =
                orphans == 0
                        ? labelled
                        : labelled.filter(
                                "not (__conversion in ('1', '1.0') and __click in ('0', '0.0'))");
        // Every raw value as Spark's text, so counting and encoding see the same string.
        for (int f = 0; f < n; f++) {
            String c = spec.features().get(f).column();
            filtered = filtered.withColumn(c, col(c).cast(multi[f] ? "array<string>" : "string"));
        }
        Dataset<Row> kept = filtered;
        IdEncoder encoder;
        if (spec.buckets() > 0) {
            encoder = IdEncoder.hashing(spec.buckets());
        } else {
            Dataset<Row> values = null;
            for (int f = 0; f < n; f++) {
                String c = spec.features().get(f).column();
                Dataset<Row> v =
                        kept.select(
                                lit(f).as("field"),
                                (multi[f] ? explode(col(c)) : col(c)).as("raw"));
                values = values == null ? v : values.union(v);
            }
            List<Tuple2<Tuple2<Integer, String>, Long>> counts = new ArrayList<>();
            for (Row r :
                    values.filter(col("raw").isNotNull())
                            .groupBy("field", "raw")
                            .count()
                            .filter(col("count").geq(spec.minCount()))
                            .collectAsList()) {
                counts.add(new Tuple2<>(new Tuple2<>(r.getInt(0), r.getString(1)), r.getLong(2)));
            }
            encoder = IdEncoder.vocabulary(n, counts);
        }
        List<FeatureField> fields = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            FeatureColumn fc = spec.features().get(f);
            fields.add(new FeatureField(fc.column(), fc.role(), encoder.cardinality(f), multi[f]));
        }
        ExposureLogSchema schema =
                ExposureLogSchema.of(new FeatureSchema(fields, spec.group().isPresent(), false));
        Broadcast<IdEncoder> shared =
                JavaSparkContext.fromSparkContext(df.sparkSession().sparkContext())
                        .broadcast(encoder);
        int[] index = new int[n];
        Dataset<Row> cols = kept;
        for (int f = 0; f < n; f++) {
            index[f] = List.of(cols.columns()).indexOf(spec.features().get(f).column());
        }
        Encode encode =
                new Encode(
                        List.of(cols.columns()).indexOf("__click"),
                        List.of(cols.columns()).indexOf("__conversion"),
                        index,
                        multi,
                        spec.group().map(g -> List.of(cols.columns()).indexOf(g)).orElse(-1),
                        spec.click(),
                        spec.conversion());
        JavaRDD<Row> rows = cols.javaRDD().map(r -> encode.row(r, shared.value()));
        return new Prepared(
                new ExposureLogFrame(
                        df.sparkSession().createDataFrame(rows, LogSchemas.sparkSchema(schema)),
                        schema),
                spec.conversionWithoutClick() == ConversionPolicy.FAIL ? 0 : orphans,
                encoder.vocabularySizes());
    }

    /** The encoding of one row, shipped to executors. */
    private record Encode(
            int click,
            int conversion,
            int[] feature,
            boolean[] multi,
            int group,
            String clickName,
            String conversionName)
            implements Serializable {
        Row row(Row r, IdEncoder encoder) {
            List<Object> v = new ArrayList<>();
            v.add((byte) label(r.getString(click), clickName));
            v.add((byte) label(r.getString(conversion), conversionName));
            for (int f = 0; f < feature.length; f++) {
                Object raw = r.get(feature[f]);
                if (multi[f]) {
                    List<Integer> ids = new ArrayList<>();
                    if (raw != null) {
                        Seq<Object> s = r.getSeq(feature[f]);
                        for (int j = 0; j < s.size(); j++) {
                            Object x = s.apply(j);
                            if (x != null) {
                                ids.add(encoder.encode(f, (String) x));
                            }
                        }
                    }
                    v.add(ids.toArray(Integer[]::new));
                } else {
                    v.add(raw == null ? 0 : encoder.encode(f, (String) raw));
                }
            }
            if (group >= 0) {
                Object g = r.get(group);
                v.add(
                        g == null
                                ? -1L
                                : g instanceof Number num
                                        ? num.longValue()
                                        : groupValue(g.toString()));
            }
            return RowFactory.create(v.toArray());
        }

        private static int label(String text, String column) {
            if (text != null) {
                switch (text.trim()) {
                    case "0", "0.0" -> {
                        return 0;
                    }
                    case "1", "1.0" -> {
                        return 1;
                    }
                    default -> {}
                }
            }
            throw new DataException("Column '" + column + "': label '" + text + "' is not 0 or 1");
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
