package org.causalcvr.data.arrow;

import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.complex.ListVector;
import org.causalcvr.api.data.FeatureSchema;

/**
 * Fills the vectors of one record batch of an {@link ExposureWriter}, row by row (converters) or a
 * column at a time (the generator), then {@linkplain #flush() writes} it. Obtain it from {@link
 * ExposureWriter#builder()}; it is not thread-safe.
 *
 * <p>Row-wise: {@code int r = b.addRow(click, conversion); b.setId(field, r, id); ...}; every
 * multi-valued field of a row takes one {@link #setIds} call, in row order (a row without one gets
 * an empty list). Column-wise: the {@code put*} methods set rows {@code [0, n)} of one column from
 * arrays with bulk copies; call {@link #setRowCount(int)} once every column is set. Ids, labels and
 * ground truth are validated when the batch is flushed.
 */
public final class BatchBuilder {
    private final ExposureWriter writer;
    private final ExposureVectors v;
    private final FeatureSchema schema;
    private final int capacity;
    private final int[] nextListRow;
    private int rows;

    BatchBuilder(ExposureWriter writer, ExposureVectors vectors, int capacity) {
        this.writer = writer;
        this.v = vectors;
        this.schema = vectors.schema.features();
        this.capacity = capacity;
        this.nextListRow = new int[schema.size()];
        for (FieldVector vector : v.root.getFieldVectors()) {
            if (vector instanceof ListVector list) {
                list.setInitialCapacity(capacity, 4.0);
            } else {
                vector.setInitialCapacity(capacity);
            }
            vector.allocateNew();
        }
    }

    /** The most rows a batch holds; {@link #addRow} flushes when it is reached. */
    public int capacity() {
        return capacity;
    }

    /** Rows in the pending batch. */
    public int rows() {
        return rows;
    }

    /** The feature schema, for field indices. */
    public FeatureSchema schema() {
        return schema;
    }

    /**
     * Starts a row with its labels, flushing first when the batch is full.
     *
     * @return the row's index in the pending batch, for the setters
     */
    public int addRow(int click, int conversion) {
        if (rows == capacity) {
            flush();
        }
        int r = rows++;
        ((TinyIntVector) v.click).set(r, (byte) click);
        ((TinyIntVector) v.conversion).set(r, (byte) conversion);
        return r;
    }

    /** Sets single-valued field {@code field} of row {@code row}. */
    public void setId(int field, int row, int id) {
        ((IntVector) v.features[field]).set(row, id);
    }

    /**
     * Sets the id list (and weights, if the field has a weight column) of multi-valued field {@code
     * field} for row {@code row}.
     *
     * @param weights the weights aligned with {@code ids}, or null for weight 1
     */
    public void setIds(int field, int row, int[] ids, float[] weights, int from, int length) {
        ListVector list = (ListVector) v.features[field];
        ListVector wl = v.weights[field];
        if (row < nextListRow[field]) {
            throw new IllegalStateException(
                    "Field '" + schema.field(field).name() + "': row " + row + " already set");
        }
        fillEmptyLists(field, row);
        int offset = list.startNewValue(row);
        IntVector child = (IntVector) list.getDataVector();
        ensureChild(child, offset + length);
        putInts(child.getDataBuffer(), offset, ids, from, length);
        setValid(child.getValidityBuffer(), offset, length);
        list.endValue(row, length);
        if (wl != null) {
            int wo = wl.startNewValue(row);
            Float4Vector wc = (Float4Vector) wl.getDataVector();
            ensureChild(wc, wo + length);
            for (int j = 0; j < length; j++) {
                wc.set(wo + j, weights == null ? 1f : weights[from + j]);
            }
            wl.endValue(row, length);
        }
        nextListRow[field] = row + 1;
    }

    private void fillEmptyLists(int field, int upTo) {
        ListVector list = (ListVector) v.features[field];
        ListVector wl = v.weights[field];
        for (int r = nextListRow[field]; r < upTo; r++) {
            list.startNewValue(r);
            list.endValue(r, 0);
            if (wl != null) {
                wl.startNewValue(r);
                wl.endValue(r, 0);
            }
        }
        nextListRow[field] = Math.max(nextListRow[field], upTo);
    }

    /** Sets dense field {@code denseField} (an index into the schema's dense fields) of a row. */
    public void setDense(int denseField, int row, float value) {
        v.dense[denseField].set(row, value);
    }

    /** Sets rows {@code [0, n)} of dense field {@code denseField}. */
    public void putDense(int denseField, float[] values, int n) {
        checkBulk(n);
        putFloats(v.dense[denseField], values, n);
    }

    /** Sets the group id of row {@code row}. */
    public void setGroup(int row, long group) {
        v.group.set(row, group);
    }

    /** Sets the ground truth of row {@code row}. */
    public void setTruth(int row, float truePropensity, float trueCvr) {
        v.truePropensity.set(row, truePropensity);
        v.trueCvr.set(row, trueCvr);
    }

    /** Sets the estimated propensity p̂ of row {@code row} (column {@code propensity}). */
    public void setPropensity(int row, float propensity) {
        if (v.propensity == null) {
            throw new IllegalStateException("The schema has no 'propensity' column");
        }
        v.propensity.set(row, propensity);
    }

    /** Sets rows {@code [0, n)} of the estimated propensity column. */
    public void putPropensity(float[] propensity, int n) {
        checkBulk(n);
        if (v.propensity == null) {
            throw new IllegalStateException("The schema has no 'propensity' column");
        }
        putFloats(v.propensity, propensity, n);
    }

    /** Sets rows {@code [0, n)} of both labels. */
    public void putLabels(byte[] clicks, byte[] conversions, int n) {
        checkBulk(n);
        putBytes((TinyIntVector) v.click, clicks, n);
        putBytes((TinyIntVector) v.conversion, conversions, n);
    }

    /** Sets rows {@code [0, n)} of single-valued field {@code field}. */
    public void putIds(int field, int[] ids, int n) {
        checkBulk(n);
        IntVector vector = (IntVector) v.features[field];
        putInts(vector.getDataBuffer(), 0, ids, 0, n);
        setValid(vector.getValidityBuffer(), 0, n);
    }

    /**
     * Sets rows {@code [0, n)} of multi-valued field {@code field}: row {@code r} has {@code
     * ids[offsets[r] .. offsets[r+1])}.
     */
    public void putLists(int field, int[] offsets, int[] ids, float[] weights, int n) {
        checkBulk(n);
        for (int r = 0; r < n; r++) {
            setIds(field, r, ids, weights, offsets[r], offsets[r + 1] - offsets[r]);
        }
    }

    /** Sets rows {@code [0, n)} of the group column. */
    public void putGroups(long[] groups, int n) {
        checkBulk(n);
        if (n > 0) {
            v.group
                    .getDataBuffer()
                    .nioBuffer(0, n << 3)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asLongBuffer()
                    .put(groups, 0, n);
        }
        setValid(v.group.getValidityBuffer(), 0, n);
    }

    /** Sets rows {@code [0, n)} of the ground truth. */
    public void putTruth(float[] truePropensity, float[] trueCvr, int n) {
        checkBulk(n);
        putFloats(v.truePropensity, truePropensity, n);
        putFloats(v.trueCvr, trueCvr, n);
    }

    /** Declares that the bulk-set columns hold {@code n} rows. */
    public void setRowCount(int n) {
        checkBulk(n);
        rows = n;
    }

    /** Writes the pending rows as one record batch (nothing if there are none) and starts anew. */
    public void flush() {
        if (rows == 0) {
            return;
        }
        for (int f = 0; f < schema.size(); f++) {
            if (schema.field(f).multiValued()) {
                fillEmptyLists(f, rows);
            }
        }
        for (FieldVector vector : v.root.getFieldVectors()) {
            vector.setValueCount(rows);
        }
        v.root.setRowCount(rows);
        writer.writeRoot(rows);
        for (FieldVector vector : v.root.getFieldVectors()) {
            vector.reset();
        }
        java.util.Arrays.fill(nextListRow, 0);
        rows = 0;
    }

    private void checkBulk(int n) {
        if (n < 0 || n > capacity) {
            throw new IllegalArgumentException(
                    "A batch holds 0 to " + capacity + " rows, got " + n);
        }
    }

    private static void ensureChild(BaseFixedWidthVector child, int needed) {
        while (child.getValueCapacity() < needed) {
            child.reAlloc();
        }
    }

    private static void putInts(ArrowBuf buf, int at, int[] values, int from, int n) {
        if (n > 0) {
            buf.nioBuffer((long) at << 2, n << 2)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asIntBuffer()
                    .put(values, from, n);
        }
    }

    private static void putBytes(TinyIntVector vector, byte[] values, int n) {
        vector.getDataBuffer().setBytes(0, values, 0, n);
        setValid(vector.getValidityBuffer(), 0, n);
    }

    private static void putFloats(Float4Vector vector, float[] values, int n) {
        if (n > 0) {
            vector.getDataBuffer()
                    .nioBuffer(0, n << 2)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .put(values, 0, n);
        }
        setValid(vector.getValidityBuffer(), 0, n);
    }

    /** Marks bits {@code [from, from + n)} valid. */
    private static void setValid(ArrowBuf validity, int from, int n) {
        int i = from;
        int end = from + n;
        while (i < end && (i & 7) != 0) {
            setBit(validity, i++);
        }
        int fullBytes = (end - i) >>> 3;
        if (fullBytes > 0) {
            validity.setOne((long) (i >>> 3), (long) fullBytes);
            i += fullBytes << 3;
        }
        while (i < end) {
            setBit(validity, i++);
        }
    }

    private static void setBit(ArrowBuf validity, int index) {
        long byteIndex = index >>> 3;
        validity.setByte(byteIndex, validity.getByte(byteIndex) | (1 << (index & 7)));
    }
}
