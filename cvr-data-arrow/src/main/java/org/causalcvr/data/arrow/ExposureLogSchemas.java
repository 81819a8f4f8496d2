package org.causalcvr.data.arrow;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.causalcvr.api.DataException;

/**
 * The exposure-log schema for engines that hold a log in their own column types (Spark): the same
 * rules as {@link ExposureLogSchema#fromArrow}, with columns described by {@link TypedColumn}, the
 * key/value metadata a shard carries, and a text form to ship a schema to another process. Nothing
 * here exposes an Arrow type, so such an engine's module needs no Arrow of its own.
 */
public final class ExposureLogSchemas {
    private ExposureLogSchemas() {}

    /**
     * The exposure-log schema of a table with {@code columns} (in table order) whose file or table
     * metadata is {@code metadata}: feature roles, cardinalities and flags come from the metadata
     * (keys {@value ExposureLogSchema#FEATURES_KEY} and {@value ExposureLogSchema#DENSE_KEY}), and
     * every column the metadata promises must be present with an accepted type.
     *
     * @param source the file or table, for messages
     * @throws DataException naming the source and the column when the table is not an exposure log
     */
    public static ExposureLogSchema fromColumns(
            List<TypedColumn> columns, Map<String, String> metadata, String source) {
        List<Field> fields = new ArrayList<>(columns.size());
        for (TypedColumn c : columns) {
            if (c.list()) {
                Field item = new Field("item", FieldType.notNullable(arrowType(c.type())), null);
                fields.add(
                        new Field(
                                c.name(),
                                FieldType.notNullable(ArrowType.List.INSTANCE),
                                List.of(item)));
            } else {
                fields.add(new Field(c.name(), FieldType.notNullable(arrowType(c.type())), null));
            }
        }
        return ExposureLogSchema.fromArrow(new Schema(fields, metadata), source);
    }

    private static ArrowType arrowType(ColumnType t) {
        return switch (t) {
            case INT8 -> new ArrowType.Int(8, true);
            case INT16 -> new ArrowType.Int(16, true);
            case INT32 -> new ArrowType.Int(32, true);
            case INT64 -> new ArrowType.Int(64, true);
            case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case OTHER -> new ArrowType.Utf8();
        };
    }

    /**
     * The key/value metadata a shard of a log with {@code schema} carries (Parquet footer, Arrow
     * schema): exactly the keys {@link ExposureLogSchema#toArrow()} writes, so that {@link
     * #fromColumns} and every reader rebuild the same schema.
     */
    public static Map<String, String> metadata(ExposureLogSchema schema) {
        return Map.copyOf(schema.toArrow().getCustomMetadata());
    }

    /** {@code schema} as JSON text (its columns and metadata), for {@link #fromJson}. */
    public static String toJson(ExposureLogSchema schema) {
        return schema.toArrow().toJson();
    }

    /**
     * The schema back from {@link #toJson}.
     *
     * @throws DataException if {@code text} is not such a schema
     */
    public static ExposureLogSchema fromJson(String text) {
        Schema arrow;
        try {
            arrow = Schema.fromJSON(text);
        } catch (IOException | RuntimeException e) {
            throw new DataException(
                    "exposure-log schema text: not readable (" + e.getMessage() + ")");
        }
        return ExposureLogSchema.fromArrow(arrow, "exposure-log schema text");
    }
}
