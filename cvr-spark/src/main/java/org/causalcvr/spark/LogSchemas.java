package org.causalcvr.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.data.arrow.ExposureLogSchema;

/**
 * The exposure-log schema of cvr-data-arrow seen from Spark: the DataFrame columns that hold a log,
 * a serialisable text form for closures shipped to executors, and the file metadata of a shard.
 *
 * <p>A log DataFrame has the columns of {@link ExposureLogSchema} in its order, with Spark types:
 * {@code click} and {@code conversion} ByteType, single-valued features IntegerType, multi-valued
 * features Array&lt;Integer&gt;, weights Array&lt;Float&gt;, dense features FloatType, {@code
 * group} LongType, ground truth FloatType, all non-null.
 */
public final class LogSchemas {
    private LogSchemas() {}

    /** The Spark columns of a log with {@code schema}. */
    public static StructType sparkSchema(ExposureLogSchema schema) {
        List<StructField> cols = new ArrayList<>();
        cols.add(DataTypes.createStructField(ReservedColumns.CLICK, DataTypes.ByteType, false));
        cols.add(
                DataTypes.createStructField(ReservedColumns.CONVERSION, DataTypes.ByteType, false));
        for (FeatureField f : schema.features().fields()) {
            if (f.multiValued()) {
                cols.add(field(f.name(), DataTypes.createArrayType(DataTypes.IntegerType, false)));
                if (schema.weighted(f.name())) {
                    cols.add(
                            field(
                                    f.name() + ReservedColumns.WEIGHT_SUFFIX,
                                    DataTypes.createArrayType(DataTypes.FloatType, false)));
                }
            } else {
                cols.add(field(f.name(), DataTypes.IntegerType));
            }
        }
        for (DenseField d : schema.features().dense()) {
            cols.add(field(d.name(), DataTypes.FloatType));
        }
        if (schema.features().hasGroup()) {
            cols.add(field(ReservedColumns.GROUP, DataTypes.LongType));
        }
        if (schema.features().hasGroundTruth()) {
            cols.add(field(ReservedColumns.TRUE_PROPENSITY, DataTypes.FloatType));
            cols.add(field(ReservedColumns.TRUE_CVR, DataTypes.FloatType));
        }
        return DataTypes.createStructType(cols);
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, false);
    }

    /** The schema as text (its Arrow schema in JSON, metadata included), for executors. */
    public static String toText(ExposureLogSchema schema) {
        return schema.toArrow().toJson();
    }

    /** The schema back from {@link #toText}. */
    public static ExposureLogSchema fromText(String text) {
        try {
            return ExposureLogSchema.fromArrow(Schema.fromJSON(text), "exposure-log schema");
        } catch (IOException e) {
            throw new IllegalArgumentException("Not an exposure-log schema: " + e.getMessage(), e);
        }
    }

    /**
     * The key/value metadata a shard carries in its footer (Parquet) or schema (Arrow): exactly the
     * keys {@link ExposureLogSchema#toArrow()} writes, so a reader rebuilds the same schema.
     */
    public static Map<String, String> fileMetadata(ExposureLogSchema schema) {
        return Map.copyOf(schema.toArrow().getCustomMetadata());
    }

    /**
     * Checks that {@code metadata} (a shard's key/value metadata) describes {@code expected},
     * naming {@code file} otherwise.
     */
    static void requireSameFeatures(
            Map<String, String> metadata, Map<String, String> expected, String file) {
        String key = ExposureLogSchema.FEATURES_KEY;
        String found = metadata == null ? null : metadata.get(key);
        if (found == null) {
            throw new DataException(
                    file + ": no '" + key + "' metadata; not an exposure-log shard");
        }
        if (!found.equals(expected.get(key))) {
            throw new DataException(
                    file
                            + ": schema differs from the other shards ('"
                            + key
                            + "' is "
                            + found
                            + ", the first shard has "
                            + expected.get(key)
                            + ")");
        }
    }
}
