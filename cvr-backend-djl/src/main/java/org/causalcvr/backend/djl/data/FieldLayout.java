package org.causalcvr.backend.djl.data;

import org.causalcvr.api.DataException;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.model.DenseInput;

/**
 * Where each field's ids live in an embedding table: field f owns rows {@code [offset(f), offset(f)
 * + rows(f))}, with {@code rows(f) = min(cardinality, hash-size)}. An id at or beyond {@code
 * rows(f)} is hashed into the field's rows or refused, as configured; a negative id is always
 * refused. Every table of a model has this layout. The layout also carries the {@link DenseInput}:
 * the dense columns that follow the embeddings in the towers' input.
 */
public final class FieldLayout {
    private final FeatureSchema schema;
    private final long[] offsets;
    private final int[] rows;
    private final int totalRows;
    private final DjlOptions.IdPolicy policy;
    private final int[] singleFields;
    private final int[] multiFields;
    private final DenseInput denseInput;

    /** A layout whose network reads no dense field. */
    public FieldLayout(FeatureSchema schema, long hashSize, DjlOptions.IdPolicy policy) {
        this(schema, hashSize, policy, DenseInput.NONE);
    }

    /**
     * @param denseInput the dense columns of the towers' input; reads the schema's dense fields, in
     *     order, or none
     */
    public FieldLayout(
            FeatureSchema schema,
            long hashSize,
            DjlOptions.IdPolicy policy,
            DenseInput denseInput) {
        if (!denseInput.matches(schema)) {
            throw new IllegalArgumentException(
                    "Dense input "
                            + denseInput.columns().stream().map(DenseInput.Column::name).toList()
                            + " does not read the schema's dense fields "
                            + schema.dense().stream().map(d -> d.name()).toList());
        }
        this.schema = schema;
        this.policy = policy;
        this.denseInput = denseInput;
        int n = schema.size();
        offsets = new long[n];
        rows = new int[n];
        long acc = 0;
        int singles = 0;
        for (int f = 0; f < n; f++) {
            FeatureField field = schema.field(f);
            long r = hashSize > 0 ? Math.min(field.cardinality(), hashSize) : field.cardinality();
            if (r > Integer.MAX_VALUE) {
                throw new ConfigException(
                        "Field '"
                                + field.name()
                                + "' has "
                                + field.cardinality()
                                + " ids, more than one table can hold; set 'hash-size'");
            }
            offsets[f] = acc;
            rows[f] = (int) r;
            acc += r;
            if (!field.multiValued()) {
                singles++;
            }
        }
        if (acc > Integer.MAX_VALUE - 1) {
            throw new ConfigException(
                    "The fields need "
                            + acc
                            + " embedding rows in all, more than "
                            + (Integer.MAX_VALUE - 1)
                            + "; set 'hash-size' to cap the rows per field");
        }
        totalRows = (int) acc;
        singleFields = new int[singles];
        multiFields = new int[n - singles];
        int s = 0;
        int m = 0;
        for (int f = 0; f < n; f++) {
            if (schema.field(f).multiValued()) {
                multiFields[m++] = f;
            } else {
                singleFields[s++] = f;
            }
        }
    }

    public FeatureSchema schema() {
        return schema;
    }

    /** The dense columns of the towers' input (after the embeddings). */
    public DenseInput denseInput() {
        return denseInput;
    }

    public int totalRows() {
        return totalRows;
    }

    public int fieldCount() {
        return schema.size();
    }

    /** Field indices of the single-valued fields, in schema order. */
    public int[] singleFields() {
        return singleFields;
    }

    /** Field indices of the multi-valued fields, in schema order. */
    public int[] multiFields() {
        return multiFields;
    }

    /**
     * The table row of {@code id} of field {@code field}.
     *
     * @param source and {@code row} name the input in an error message
     */
    public int row(int field, int id, String source, long row) {
        int size = rows[field];
        if (id >= 0 && id < size) {
            return (int) offsets[field] + id;
        }
        if (id < 0 || policy == DjlOptions.IdPolicy.REFUSE) {
            throw new DataException(
                    source
                            + ", column '"
                            + schema.field(field).name()
                            + "', row "
                            + row
                            + ": id "
                            + id
                            + " is outside the field's embedding table [0, "
                            + size
                            + ")"
                            + (id < 0 ? "" : " and id-policy is refuse"));
        }
        return (int) offsets[field] + (int) Long.remainderUnsigned(mix(id, field), size);
    }

    /** A fixed 64-bit mix (splitmix64's finaliser) of an id and its field. */
    public static long mix(long id, long field) {
        long z = id * 0x9E3779B97F4A7C15L + field * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
