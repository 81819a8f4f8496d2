package org.causalcvr.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.MultiValuedArrays;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ExposureLogSchema;
import scala.collection.immutable.Seq;

/**
 * Where the columns of an exposure log sit in the rows of a DataFrame (which may hold more columns,
 * in any order), and the copy of such rows into a batch of cvr-api or a shard builder of
 * cvr-data-arrow. Serialisable, so it travels to executors with the schema as text.
 */
final class LogColumns implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String schemaText;
    private final int click;
    private final int conversion;
    private final int[] feature;
    private final int[] weight;
    private final int[] dense;
    private final int group;
    private final int truePropensity;
    private final int trueCvr;
    private transient ExposureLogSchema schema;

    /**
     * @throws DataException naming the column when {@code columns} lacks one the schema needs
     */
    LogColumns(ExposureLogSchema schema, StructType columns) {
        this.schemaText = LogSchemas.toText(schema);
        this.schema = schema;
        FeatureSchema fs = schema.features();
        click = index(columns, ReservedColumns.CLICK);
        conversion = index(columns, ReservedColumns.CONVERSION);
        feature = new int[fs.size()];
        weight = new int[fs.size()];
        for (int f = 0; f < fs.size(); f++) {
            FeatureField field = fs.field(f);
            feature[f] = index(columns, field.name());
            weight[f] =
                    schema.weighted(field.name())
                            ? index(columns, field.name() + ReservedColumns.WEIGHT_SUFFIX)
                            : -1;
        }
        dense = new int[fs.dense().size()];
        for (int d = 0; d < dense.length; d++) {
            dense[d] = index(columns, fs.dense().get(d).name());
        }
        group = fs.hasGroup() ? index(columns, ReservedColumns.GROUP) : -1;
        truePropensity = fs.hasGroundTruth() ? index(columns, ReservedColumns.TRUE_PROPENSITY) : -1;
        trueCvr = fs.hasGroundTruth() ? index(columns, ReservedColumns.TRUE_CVR) : -1;
    }

    private static int index(StructType columns, String name) {
        for (int i = 0; i < columns.fields().length; i++) {
            if (columns.fields()[i].name().equals(name)) {
                return i;
            }
        }
        throw new DataException(
                "Column '"
                        + name
                        + "': missing from the DataFrame ("
                        + columns.simpleString()
                        + ")");
    }

    ExposureLogSchema schema() {
        if (schema == null) {
            schema = LogSchemas.fromText(schemaText);
        }
        return schema;
    }

    /** The rows as one batch of cvr-api (validated there). */
    ArrayExposureBatch toBatch(List<Row> rows) {
        FeatureSchema fs = schema().features();
        int n = rows.size();
        int[] clicks = new int[n];
        int[] conversions = new int[n];
        int[][] single = new int[fs.size()][];
        MultiValuedArrays[] multi = new MultiValuedArrays[fs.size()];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            clicks[i] = label(r, click, ReservedColumns.CLICK);
            conversions[i] = label(r, conversion, ReservedColumns.CONVERSION);
        }
        for (int f = 0; f < fs.size(); f++) {
            if (fs.field(f).multiValued()) {
                int[] offsets = new int[n + 1];
                for (int i = 0; i < n; i++) {
                    offsets[i + 1] = offsets[i] + rows.get(i).getSeq(feature[f]).size();
                }
                int[] ids = new int[offsets[n]];
                float[] weights = weight[f] >= 0 ? new float[offsets[n]] : null;
                for (int i = 0; i < n; i++) {
                    Seq<Object> s = rows.get(i).getSeq(feature[f]);
                    for (int j = 0; j < s.size(); j++) {
                        ids[offsets[i] + j] = ((Number) s.apply(j)).intValue();
                    }
                    if (weights != null) {
                        Seq<Object> w = rows.get(i).getSeq(weight[f]);
                        for (int j = 0; j < w.size(); j++) {
                            weights[offsets[i] + j] = ((Number) w.apply(j)).floatValue();
                        }
                    }
                }
                multi[f] = new MultiValuedArrays(offsets, ids, weights);
            } else {
                int[] ids = new int[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = ((Number) rows.get(i).get(feature[f])).intValue();
                }
                single[f] = ids;
            }
        }
        long[] groups = null;
        if (group >= 0) {
            groups = new long[n];
            for (int i = 0; i < n; i++) {
                groups[i] = ((Number) rows.get(i).get(group)).longValue();
            }
        }
        float[] p = null;
        float[] q = null;
        if (trueCvr >= 0) {
            p = new float[n];
            q = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = ((Number) rows.get(i).get(truePropensity)).floatValue();
                q[i] = ((Number) rows.get(i).get(trueCvr)).floatValue();
            }
        }
        float[][] denseValues = new float[dense.length][n];
        for (int d = 0; d < dense.length; d++) {
            for (int i = 0; i < n; i++) {
                denseValues[d][i] = dense(rows.get(i), d);
            }
        }
        try {
            return new ArrayExposureBatch(
                    fs, clicks, conversions, single, multi, groups, p, q, denseValues);
        } catch (IllegalArgumentException e) {
            throw new DataException(e.getMessage());
        }
    }

    /** Appends {@code r} to a shard's builder. */
    void addTo(BatchBuilder b, Row r) {
        FeatureSchema fs = schema().features();
        int row =
                b.addRow(
                        label(r, click, ReservedColumns.CLICK),
                        label(r, conversion, ReservedColumns.CONVERSION));
        for (int f = 0; f < fs.size(); f++) {
            if (fs.field(f).multiValued()) {
                Seq<Object> s = r.getSeq(feature[f]);
                int[] ids = new int[s.size()];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = ((Number) s.apply(j)).intValue();
                }
                float[] weights = null;
                if (weight[f] >= 0) {
                    Seq<Object> w = r.getSeq(weight[f]);
                    weights = new float[w.size()];
                    for (int j = 0; j < weights.length; j++) {
                        weights[j] = ((Number) w.apply(j)).floatValue();
                    }
                }
                b.setIds(f, row, ids, weights, 0, ids.length);
            } else {
                b.setId(f, row, ((Number) r.get(feature[f])).intValue());
            }
        }
        for (int d = 0; d < dense.length; d++) {
            b.setDense(d, row, dense(r, d));
        }
        if (group >= 0) {
            b.setGroup(row, ((Number) r.get(group)).longValue());
        }
        if (trueCvr >= 0) {
            b.setTruth(
                    row,
                    ((Number) r.get(truePropensity)).floatValue(),
                    ((Number) r.get(trueCvr)).floatValue());
        }
    }

    private float dense(Row r, int d) {
        Object v = r.get(dense[d]);
        if (v == null) {
            throw new DataException(
                    "Column '" + schema().features().dense().get(d).name() + "': null value");
        }
        return ((Number) v).floatValue();
    }

    private static int label(Row r, int index, String name) {
        Object v = r.get(index);
        if (v == null) {
            throw new DataException("Column '" + name + "': null label");
        }
        return ((Number) v).intValue();
    }
}
