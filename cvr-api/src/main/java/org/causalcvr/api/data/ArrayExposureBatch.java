package org.causalcvr.api.data;

import java.util.Arrays;
import java.util.Optional;

/**
 * An {@link ExposureBatch} held in Java arrays, validated at construction: for tests, for small
 * data sets, and for batches a backend assembles itself. Unlike streamed batches it stays valid.
 *
 * @param schema the feature schema
 * @param clickLabels click labels, 0 or 1
 * @param conversionLabels conversion labels, 0 or 1, and 0 wherever the click is 0
 * @param singleValued for each field index, its ids (null for a multi-valued field)
 * @param multiValued for each field index, its id lists (null for a single-valued field)
 * @param groupIds group ids, or null if the schema has none
 * @param truePropensities true click propensities in (0, 1], or null without ground truth
 * @param trueCvrs true conversion probabilities in [0, 1], or null without ground truth
 * @param denseValues for each dense field of the schema, its finite values (empty when the schema
 *     has none)
 * @param propensities estimated click propensities p̂ in (0, 1] supplied with the data ({@link
 *     ReservedColumns#PROPENSITY}), or null when the data has none
 */
public record ArrayExposureBatch(
        FeatureSchema schema,
        int[] clickLabels,
        int[] conversionLabels,
        int[][] singleValued,
        MultiValuedArrays[] multiValued,
        long[] groupIds,
        float[] truePropensities,
        float[] trueCvrs,
        float[][] denseValues,
        float[] propensities)
        implements ExposureBatch {

    /** A batch without an estimated propensity column. */
    public ArrayExposureBatch(
            FeatureSchema schema,
            int[] clickLabels,
            int[] conversionLabels,
            int[][] singleValued,
            MultiValuedArrays[] multiValued,
            long[] groupIds,
            float[] truePropensities,
            float[] trueCvrs,
            float[][] denseValues) {
        this(
                schema,
                clickLabels,
                conversionLabels,
                singleValued,
                multiValued,
                groupIds,
                truePropensities,
                trueCvrs,
                denseValues,
                null);
    }

    /** A batch without dense fields. */
    public ArrayExposureBatch(
            FeatureSchema schema,
            int[] clickLabels,
            int[] conversionLabels,
            int[][] singleValued,
            MultiValuedArrays[] multiValued,
            long[] groupIds,
            float[] truePropensities,
            float[] trueCvrs) {
        this(
                schema,
                clickLabels,
                conversionLabels,
                singleValued,
                multiValued,
                groupIds,
                truePropensities,
                trueCvrs,
                new float[0][]);
    }

    public ArrayExposureBatch {
        int n = clickLabels.length;
        requireLength("conversion", conversionLabels.length, n);
        if (singleValued.length != schema.size() || multiValued.length != schema.size()) {
            throw new IllegalArgumentException(
                    "Expected " + schema.size() + " feature columns, got " + singleValued.length);
        }
        for (int row = 0; row < n; row++) {
            if ((clickLabels[row] & ~1) != 0) {
                throw new IllegalArgumentException(
                        "Column 'click', row "
                                + row
                                + ": label "
                                + clickLabels[row]
                                + " is not 0 or 1");
            }
            if ((conversionLabels[row] & ~1) != 0) {
                throw new IllegalArgumentException(
                        "Column 'conversion', row "
                                + row
                                + ": label "
                                + conversionLabels[row]
                                + " is not 0 or 1");
            }
            if (conversionLabels[row] > clickLabels[row]) {
                throw new IllegalArgumentException(
                        "Column 'conversion', row " + row + ": a conversion without a click");
            }
        }
        for (int f = 0; f < schema.size(); f++) {
            FeatureField field = schema.field(f);
            if (field.multiValued()) {
                if (multiValued[f] == null || singleValued[f] != null) {
                    throw new IllegalArgumentException(
                            "Field '" + field.name() + "' needs id lists");
                }
                requireLength(field.name(), multiValued[f].size(), n);
                checkIds(field, multiValued[f].idValues());
            } else {
                if (singleValued[f] == null || multiValued[f] != null) {
                    throw new IllegalArgumentException(
                            "Field '" + field.name() + "' needs one id per row");
                }
                requireLength(field.name(), singleValued[f].length, n);
                checkIds(field, singleValued[f]);
            }
        }
        if (denseValues.length != schema.dense().size()) {
            throw new IllegalArgumentException(
                    "Expected "
                            + schema.dense().size()
                            + " dense columns, got "
                            + denseValues.length);
        }
        for (int d = 0; d < denseValues.length; d++) {
            String name = schema.dense().get(d).name();
            requireLength(name, denseValues[d].length, n);
            for (int row = 0; row < n; row++) {
                if (!Float.isFinite(denseValues[d][row])) {
                    throw new IllegalArgumentException(
                            "Column '"
                                    + name
                                    + "', row "
                                    + row
                                    + ": "
                                    + denseValues[d][row]
                                    + " is not a finite number");
                }
            }
        }
        if (schema.hasGroup() != (groupIds != null)) {
            throw new IllegalArgumentException(
                    "Schema "
                            + (schema.hasGroup() ? "declares" : "does not declare")
                            + " a group column");
        }
        if (groupIds != null) {
            requireLength(ReservedColumns.GROUP, groupIds.length, n);
        }
        if (schema.hasGroundTruth() != (truePropensities != null && trueCvrs != null)) {
            throw new IllegalArgumentException(
                    "Schema "
                            + (schema.hasGroundTruth() ? "declares" : "does not declare")
                            + " ground truth");
        }
        if (truePropensities != null) {
            requireLength(ReservedColumns.TRUE_PROPENSITY, truePropensities.length, n);
            requireLength(ReservedColumns.TRUE_CVR, trueCvrs.length, n);
            for (int row = 0; row < n; row++) {
                if (!(truePropensities[row] > 0 && truePropensities[row] <= 1)) {
                    throw new IllegalArgumentException(
                            "Column 'true_propensity', row "
                                    + row
                                    + ": "
                                    + truePropensities[row]
                                    + " is outside (0, 1]");
                }
                if (!(trueCvrs[row] >= 0 && trueCvrs[row] <= 1)) {
                    throw new IllegalArgumentException(
                            "Column 'true_cvr', row "
                                    + row
                                    + ": "
                                    + trueCvrs[row]
                                    + " is outside [0, 1]");
                }
            }
        }
        checkPropensities(propensities, n);
    }

    private static void checkPropensities(float[] propensities, int n) {
        if (propensities == null) {
            return;
        }
        requireLength(ReservedColumns.PROPENSITY, propensities.length, n);
        for (int row = 0; row < n; row++) {
            if (!(propensities[row] > 0 && propensities[row] <= 1)) {
                throw new IllegalArgumentException(
                        "Column '"
                                + ReservedColumns.PROPENSITY
                                + "', row "
                                + row
                                + ": "
                                + propensities[row]
                                + " is outside (0, 1]");
            }
        }
    }

    private static void requireLength(String column, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(
                    "Column '" + column + "' has " + actual + " rows, expected " + expected);
        }
    }

    private static void checkIds(FeatureField field, int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= field.cardinality()) {
                throw new IllegalArgumentException(
                        "Column '"
                                + field.name()
                                + "', value "
                                + i
                                + ": id "
                                + ids[i]
                                + " is outside [0, "
                                + field.cardinality()
                                + ")");
            }
        }
    }

    @Override
    public int size() {
        return clickLabels.length;
    }

    @Override
    public IntColumn clicks() {
        return intColumn(clickLabels);
    }

    @Override
    public IntColumn conversions() {
        return intColumn(conversionLabels);
    }

    @Override
    public IntColumn feature(int fieldIndex) {
        if (singleValued[fieldIndex] == null) {
            throw new IllegalArgumentException(
                    "Field '" + schema.field(fieldIndex).name() + "' is multi-valued");
        }
        return intColumn(singleValued[fieldIndex]);
    }

    @Override
    public MultiValuedColumn multiValuedFeature(int fieldIndex) {
        if (multiValued[fieldIndex] == null) {
            throw new IllegalArgumentException(
                    "Field '" + schema.field(fieldIndex).name() + "' is single-valued");
        }
        return multiValued[fieldIndex];
    }

    @Override
    public Optional<LongColumn> groups() {
        return groupIds == null ? Optional.empty() : Optional.of(longColumn(groupIds));
    }

    @Override
    public Optional<FloatColumn> truePropensity() {
        return truePropensities == null
                ? Optional.empty()
                : Optional.of(floatColumn(truePropensities));
    }

    @Override
    public Optional<FloatColumn> trueCvr() {
        return trueCvrs == null ? Optional.empty() : Optional.of(floatColumn(trueCvrs));
    }

    @Override
    public Optional<FloatColumn> propensity() {
        return propensities == null ? Optional.empty() : Optional.of(floatColumn(propensities));
    }

    /** Rows {@code [from, to)} as a new, independent batch. */
    public ArrayExposureBatch slice(int from, int to) {
        int[][] single = new int[singleValued.length][];
        MultiValuedArrays[] multi = new MultiValuedArrays[multiValued.length];
        for (int f = 0; f < single.length; f++) {
            single[f] =
                    singleValued[f] == null ? null : Arrays.copyOfRange(singleValued[f], from, to);
            multi[f] = multiValued[f] == null ? null : multiValued[f].slice(from, to);
        }
        return new ArrayExposureBatch(
                schema,
                Arrays.copyOfRange(clickLabels, from, to),
                Arrays.copyOfRange(conversionLabels, from, to),
                single,
                multi,
                groupIds == null ? null : Arrays.copyOfRange(groupIds, from, to),
                truePropensities == null ? null : Arrays.copyOfRange(truePropensities, from, to),
                trueCvrs == null ? null : Arrays.copyOfRange(trueCvrs, from, to),
                Arrays.stream(denseValues)
                        .map(d -> Arrays.copyOfRange(d, from, to))
                        .toArray(float[][]::new),
                propensities == null ? null : Arrays.copyOfRange(propensities, from, to));
    }

    @Override
    public FloatColumn denseFeature(int denseIndex) {
        if (denseIndex < 0 || denseIndex >= denseValues.length) {
            return ExposureBatch.super.denseFeature(denseIndex);
        }
        return floatColumn(denseValues[denseIndex]);
    }

    /** An {@link IntColumn} view of an array. */
    public static IntColumn intColumn(int[] values) {
        return new IntColumn() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public int getInt(int row) {
                return values[row];
            }

            @Override
            public void copyTo(int from, int[] target, int targetOffset, int length) {
                System.arraycopy(values, from, target, targetOffset, length);
            }
        };
    }

    /** A {@link FloatColumn} view of an array. */
    public static FloatColumn floatColumn(float[] values) {
        return new FloatColumn() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public float getFloat(int row) {
                return values[row];
            }

            @Override
            public void copyTo(int from, float[] target, int targetOffset, int length) {
                System.arraycopy(values, from, target, targetOffset, length);
            }
        };
    }

    /** A {@link LongColumn} view of an array. */
    public static LongColumn longColumn(long[] values) {
        return new LongColumn() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public long getLong(int row) {
                return values[row];
            }

            @Override
            public void copyTo(int from, long[] target, int targetOffset, int length) {
                System.arraycopy(values, from, target, targetOffset, length);
            }
        };
    }
}
