package org.causalcvr.backend.djl.model;

import java.util.List;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureSchema;

/**
 * The dense part of the towers' input: which dense fields of the schema are read, in schema order,
 * and the {@link DenseTransform} with its per-field statistics. Row i's input is the fields'
 * embeddings followed by {@code z[i][k] = (shape(x[i][k]) − center[k]) / scale[k]} for every column
 * k, computed in double precision and rounded to float once: training, prediction and Spark scoring
 * run this same code, so the same value gives the same input bits everywhere.
 *
 * @param transform how values are transformed; {@link DenseTransform#OFF} reads no column
 * @param columns the columns read, in the schema's dense order (empty when off)
 */
public record DenseInput(DenseTransform transform, List<Column> columns) {
    /**
     * One dense input column.
     *
     * @param name the dense field's name
     * @param center μ, subtracted after the shape transform
     * @param scale σ, positive and finite; the shaped, centred value is divided by it
     */
    public record Column(String name, double center, double scale) {
        public Column {
            if (!Double.isFinite(center) || !(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException(
                        "Dense column '"
                                + name
                                + "': center "
                                + center
                                + " and scale "
                                + scale
                                + " must be finite, the scale positive");
            }
        }
    }

    public DenseInput {
        columns = List.copyOf(columns);
        if (transform == DenseTransform.OFF && !columns.isEmpty()) {
            throw new IllegalArgumentException("Dense input 'off' reads no column");
        }
    }

    /** No dense input: the network of a schema without dense fields. */
    public static final DenseInput NONE = new DenseInput(DenseTransform.OFF, List.of());

    /** Number of input columns. */
    public int width() {
        return columns.size();
    }

    /**
     * Whether this input reads exactly the dense fields of {@code schema} (every one, in order),
     * or, when off, none.
     */
    public boolean matches(FeatureSchema schema) {
        if (transform == DenseTransform.OFF) {
            return true;
        }
        List<DenseField> dense = schema.dense();
        if (dense.size() != columns.size()) {
            return false;
        }
        for (int k = 0; k < columns.size(); k++) {
            if (!dense.get(k).name().equals(columns.get(k).name())) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first difference between the dense fields a model was trained on and those of data to
     * score, naming the field; empty when they agree (names, roles and order).
     */
    public static java.util.Optional<String> difference(FeatureSchema model, FeatureSchema data) {
        List<DenseField> want = model.dense();
        List<DenseField> got = data.dense();
        for (int k = 0; k < Math.max(want.size(), got.size()); k++) {
            if (k >= got.size()) {
                return java.util.Optional.of(
                        "lacks dense field '" + want.get(k).name() + "', which the model reads");
            }
            if (k >= want.size()) {
                return java.util.Optional.of(
                        "has dense field '"
                                + got.get(k).name()
                                + "', which the model was not trained on");
            }
            if (!want.get(k).equals(got.get(k))) {
                return java.util.Optional.of(
                        "has dense field '"
                                + got.get(k).name()
                                + "' ("
                                + got.get(k).role().name().toLowerCase(java.util.Locale.ROOT)
                                + ") where the model has '"
                                + want.get(k).name()
                                + "' ("
                                + want.get(k).role().name().toLowerCase(java.util.Locale.ROOT)
                                + ")");
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Column k's input value for raw value {@code x}.
     *
     * @param source and {@code row} name the input in the error for a non-finite value
     * @throws DataException if {@code x} is NaN or infinite (no rule could impute it faithfully)
     */
    public float value(int k, float x, String source, long row) {
        if (!Float.isFinite(x)) {
            throw new DataException(
                    source
                            + ", column '"
                            + columns.get(k).name()
                            + "', row "
                            + row
                            + ": "
                            + x
                            + " is not a finite number (dense values must be finite)");
        }
        Column c = columns.get(k);
        return (float) ((transform.shape(x) - c.center()) / c.scale());
    }
}
