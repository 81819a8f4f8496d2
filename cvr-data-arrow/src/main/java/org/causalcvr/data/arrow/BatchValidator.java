package org.causalcvr.data.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.complex.ListVector;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.ReservedColumns;

/**
 * Checks one record batch before anyone sees it: buffer sizes, no nulls, labels in {0, 1}, no
 * conversion without a click (or the rows to drop), ids within the declared cardinality, sane list
 * offsets, finite weights, and ground truth in range. The checks copy each column once into a
 * reused scratch array and reduce it with branch-free loops, so they cost one pass over the bytes.
 */
final class BatchValidator {
    private final String source;
    private final ConversionPolicy policy;
    private byte[] bytesA = new byte[0];
    private byte[] bytesB = new byte[0];
    private int[] ints = new int[0];
    private float[] floats = new float[0];

    BatchValidator(String source, ConversionPolicy policy) {
        this.source = source;
        this.policy = policy;
    }

    /**
     * Validates rows {@code [0, rows)}.
     *
     * @param firstRow the global index of the batch's first row, for messages
     * @return the rows to drop (conversions without a click under {@link
     *     ConversionPolicy#DROP_AND_COUNT}), or null when every row is kept
     * @throws DataException at the first invalid value
     */
    boolean[] validate(ExposureVectors v, int rows, long firstRow, int batch) {
        FeatureSchema schema = v.schema.features();
        for (FieldVector vector : v.root.getFieldVectors()) {
            checkShape(vector, rows, firstRow, batch);
        }
        boolean[] drop = checkLabels(v, rows, firstRow, batch);
        for (int f = 0; f < schema.size(); f++) {
            FeatureField field = schema.field(f);
            if (field.multiValued()) {
                ListVector list = (ListVector) v.features[f];
                int childCount = checkOffsets(list, rows, firstRow, batch);
                IntVector values = (IntVector) list.getDataVector();
                int from = offset(list, 0);
                checkIds(
                        field,
                        values.getDataBuffer(),
                        from,
                        childCount - from,
                        firstRow,
                        batch,
                        list);
                if (v.weights[f] != null) {
                    checkWeights(list, v.weights[f], rows, firstRow, batch);
                }
            } else {
                checkIds(
                        field,
                        ((IntVector) v.features[f]).getDataBuffer(),
                        0,
                        rows,
                        firstRow,
                        batch,
                        null);
            }
        }
        for (Float4Vector d : v.dense) {
            checkFinite(d, rows, firstRow, batch);
        }
        if (v.truePropensity != null) {
            checkProbabilities(v.truePropensity, rows, firstRow, batch, false);
            checkProbabilities(v.trueCvr, rows, firstRow, batch, true);
        }
        if (v.propensity != null) {
            checkProbabilities(v.propensity, rows, firstRow, batch, false);
        }
        return drop;
    }

    private DataException error(String column, long row, int batch, String problem) {
        return new DataException(
                source
                        + ", column '"
                        + column
                        + "', row "
                        + row
                        + " (batch "
                        + batch
                        + "): "
                        + problem);
    }

    private void checkShape(FieldVector vector, int rows, long firstRow, int batch) {
        if (vector.getValueCount() != rows) {
            throw error(
                    vector.getName(),
                    firstRow,
                    batch,
                    "has " + vector.getValueCount() + " values for " + rows + " rows");
        }
        if (vector.getNullCount() > 0) {
            for (int r = 0; r < rows; r++) {
                if (vector.isNull(r)) {
                    throw error(vector.getName(), firstRow + r, batch, "null value");
                }
            }
        }
        int width =
                vector instanceof TinyIntVector
                        ? 1
                        : vector instanceof ListVector
                                ? 0
                                : vector.getField().getType()
                                                instanceof
                                                org.apache.arrow.vector.types.pojo.ArrowType.Int i
                                        ? i.getBitWidth() / 8
                                        : 4;
        if (width > 0 && vector.getDataBuffer().capacity() < (long) rows * width) {
            throw error(
                    vector.getName(),
                    firstRow,
                    batch,
                    "data buffer shorter than its rows (corrupt)");
        }
        if (vector instanceof ListVector list) {
            if (list.getOffsetBuffer().capacity() < (long) (rows + 1) * 4) {
                throw error(
                        vector.getName(),
                        firstRow,
                        batch,
                        "offset buffer shorter than its rows (corrupt)");
            }
            FieldVector child = list.getDataVector();
            if (child.getNullCount() > 0) {
                throw error(vector.getName(), firstRow, batch, "null id or weight inside a list");
            }
        }
    }

    private boolean[] checkLabels(ExposureVectors v, int rows, long firstRow, int batch) {
        byte[] click = labels(v.click, rows, true);
        byte[] conv = labels(v.conversion, rows, false);
        int bad = 0;
        int orphan = 0;
        for (int r = 0; r < rows; r++) {
            bad |= (click[r] | conv[r]) & ~1;
            orphan |= conv[r] & ~click[r];
        }
        if (bad != 0) {
            for (int r = 0; r < rows; r++) {
                if ((click[r] & ~1) != 0) {
                    throw error(
                            ReservedColumns.CLICK,
                            firstRow + r,
                            batch,
                            "label " + ArrowColumns.ints(v.click).getInt(r) + " is not 0 or 1");
                }
                if ((conv[r] & ~1) != 0) {
                    throw error(
                            ReservedColumns.CONVERSION,
                            firstRow + r,
                            batch,
                            "label "
                                    + ArrowColumns.ints(v.conversion).getInt(r)
                                    + " is not 0 or 1");
                }
            }
        }
        if ((orphan & 1) == 0) {
            return null;
        }
        boolean[] drop = new boolean[rows];
        for (int r = 0; r < rows; r++) {
            if (conv[r] == 1 && click[r] == 0) {
                if (policy == ConversionPolicy.FAIL) {
                    throw error(
                            ReservedColumns.CONVERSION,
                            firstRow + r,
                            batch,
                            "a conversion without a click (policy FAIL; DROP_AND_COUNT skips such rows)");
                }
                drop[r] = true;
            }
        }
        return drop;
    }

    /** Copies a label column as bytes; an Int32 value other than 0 or 1 becomes 2 (invalid). */
    private byte[] labels(FieldVector vector, int rows, boolean first) {
        byte[] out = first ? bytesA : bytesB;
        if (out.length < rows) {
            out = new byte[rows];
            if (first) {
                bytesA = out;
            } else {
                bytesB = out;
            }
        }
        if (vector instanceof TinyIntVector t) {
            t.getDataBuffer().getBytes(0, out, 0, rows);
        } else {
            int[] values = intScratch(rows);
            ArrowColumns.ints(vector).copyTo(0, values, 0, rows);
            for (int r = 0; r < rows; r++) {
                int x = values[r];
                out[r] = (x & ~1) == 0 ? (byte) x : (byte) 2;
            }
        }
        return out;
    }

    private int[] intScratch(int n) {
        if (ints.length < n) {
            ints = new int[n];
        }
        return ints;
    }

    private static int offset(ListVector list, int row) {
        return list.getOffsetBuffer().getInt((long) row << 2);
    }

    /** Returns the end offset of the last row, after checking the offsets are sane. */
    private int checkOffsets(ListVector list, int rows, long firstRow, int batch) {
        int[] off = intScratch(rows + 1);
        ArrowBuf buf = list.getOffsetBuffer();
        if (rows == 0) {
            return 0;
        }
        buf.nioBuffer(0, (rows + 1) << 2)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer()
                .get(off, 0, rows + 1);
        int childCount = list.getDataVector().getValueCount();
        if (off[0] < 0) {
            throw error(list.getName(), firstRow, batch, "negative list offset (corrupt)");
        }
        int decreasing = 0;
        for (int r = 0; r < rows; r++) {
            decreasing |= off[r + 1] - off[r];
        }
        if (decreasing < 0) {
            for (int r = 0; r < rows; r++) {
                if (off[r + 1] < off[r]) {
                    throw error(
                            list.getName(), firstRow + r, batch, "list offsets decrease (corrupt)");
                }
            }
        }
        if (off[rows] > childCount) {
            throw error(
                    list.getName(),
                    firstRow + rows - 1,
                    batch,
                    "list offset " + off[rows] + " beyond its " + childCount + " values (corrupt)");
        }
        ArrowBuf data = list.getDataVector().getDataBuffer();
        if (data.capacity() < (long) off[rows] * 4) {
            throw error(
                    list.getName(), firstRow, batch, "list values shorter than offsets (corrupt)");
        }
        return off[rows];
    }

    private void checkIds(
            FeatureField field,
            ArrowBuf data,
            int from,
            int count,
            long firstRow,
            int batch,
            ListVector list) {
        if (count == 0) {
            return;
        }
        int[] ids = intScratch(count);
        data.nioBuffer((long) from << 2, count << 2)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer()
                .get(ids, 0, count);
        int max = (int) (field.cardinality() - 1);
        int acc = 0;
        for (int i = 0; i < count; i++) {
            acc |= ids[i] | (max - ids[i]);
        }
        if (acc >= 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            if (ids[i] < 0 || ids[i] > max) {
                long row = list == null ? firstRow + i : firstRow + rowOfValue(list, from + i);
                throw error(
                        field.name(),
                        row,
                        batch,
                        "id "
                                + ids[i]
                                + " is outside the declared cardinality [0, "
                                + field.cardinality()
                                + ")");
            }
        }
    }

    private static int rowOfValue(ListVector list, int valueIndex) {
        int rows = list.getValueCount();
        for (int r = 0; r < rows; r++) {
            if (offset(list, r + 1) > valueIndex) {
                return r;
            }
        }
        return rows - 1;
    }

    private void checkWeights(
            ListVector ids, ListVector weights, int rows, long firstRow, int batch) {
        if (rows == 0) {
            return;
        }
        ArrowBuf a = ids.getOffsetBuffer();
        ArrowBuf b = weights.getOffsetBuffer();
        if (b.capacity() < (long) (rows + 1) * 4) {
            throw error(
                    weights.getName(),
                    firstRow,
                    batch,
                    "offset buffer shorter than its rows (corrupt)");
        }
        for (int r = 0; r <= rows; r++) {
            if (a.getInt((long) r << 2) != b.getInt((long) r << 2)) {
                throw error(
                        weights.getName(),
                        firstRow + Math.max(0, r - 1),
                        batch,
                        "the weights do not line up with the ids of '" + ids.getName() + "'");
            }
        }
        int from = offset(ids, 0);
        int to = offset(ids, rows);
        Float4Vector values = (Float4Vector) weights.getDataVector();
        if (values.getValueCount() < to || values.getDataBuffer().capacity() < (long) to * 4) {
            throw error(weights.getName(), firstRow, batch, "fewer weights than ids (corrupt)");
        }
        float[] w = floatScratch(to - from);
        if (to > from) {
            values.getDataBuffer()
                    .nioBuffer((long) from << 2, (to - from) << 2)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(w, 0, to - from);
        }
        for (int i = 0; i < to - from; i++) {
            if (!Float.isFinite(w[i])) {
                throw error(
                        weights.getName(),
                        firstRow + rowOfValue(ids, from + i),
                        batch,
                        "weight " + w[i] + " is not finite");
            }
        }
    }

    private float[] floatScratch(int n) {
        if (floats.length < n) {
            floats = new float[n];
        }
        return floats;
    }

    private void checkFinite(Float4Vector vector, int rows, long firstRow, int batch) {
        for (int r = 0; r < rows; r++) {
            float x = vector.get(r);
            if (!Float.isFinite(x)) {
                throw error(vector.getName(), firstRow + r, batch, x + " is not a finite number");
            }
        }
    }

    private void checkProbabilities(
            Float4Vector vector, int rows, long firstRow, int batch, boolean zeroAllowed) {
        // Positive floats order like their bits: p in (0, 1] iff bits - 1 in [0, ONE - 1], q in
        // [0, 1] iff bits in [0, ONE]; NaN and negatives fall outside. A branch-free OR of signs
        // over the bits vectorises; only a failing batch takes the float-by-float slow path.
        int[] bits = intScratch(rows);
        if (rows > 0) {
            vector.getDataBuffer()
                    .nioBuffer(0, rows << 2)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .asIntBuffer()
                    .get(bits, 0, rows);
        }
        final int one = 0x3F80_0000;
        int shift = zeroAllowed ? 0 : 1;
        int hi = one - shift;
        int acc = 0;
        for (int r = 0; r < rows; r++) {
            int b = bits[r] - shift;
            acc |= b | (hi - b);
        }
        if (acc >= 0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            float x = Float.intBitsToFloat(bits[r]);
            if (Float.isNaN(x)) {
                throw error(vector.getName(), firstRow + r, batch, "NaN ground truth");
            }
            if (!((zeroAllowed ? x >= 0f : x > 0f) && x <= 1f)) {
                throw error(
                        vector.getName(),
                        firstRow + r,
                        batch,
                        x + " is outside " + (zeroAllowed ? "[0, 1]" : "(0, 1]"));
            }
        }
    }
}
