package org.causalcvr.data.arrow;

import java.nio.ByteOrder;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.complex.ListVector;
import org.causalcvr.api.data.FloatColumn;
import org.causalcvr.api.data.IntColumn;
import org.causalcvr.api.data.LongColumn;
import org.causalcvr.api.data.MultiValuedColumn;

/**
 * Column views that read Arrow buffers directly: no per-row objects, no boxing, and bulk copies
 * through little-endian NIO views of the buffers (Arrow data is little-endian on every platform
 * this code runs on). A view caches its buffer, so it is valid only until the vector is reloaded.
 */
final class ArrowColumns {
    private ArrowColumns() {}

    /** An Int8 or Int32 vector as an {@link IntColumn}. */
    static IntColumn ints(FieldVector vector) {
        if (vector instanceof TinyIntVector v) {
            return new Int8Column(v.getDataBuffer(), v.getValueCount());
        }
        if (vector instanceof IntVector v) {
            return new Int32Column(v.getDataBuffer(), v.getValueCount());
        }
        throw new IllegalArgumentException(
                "Column '" + vector.getName() + "' is " + vector.getMinorType() + ", not an int");
    }

    static LongColumn longs(BigIntVector v) {
        return new Int64Column(v.getDataBuffer(), v.getValueCount());
    }

    static FloatColumn floats(Float4Vector v) {
        return new Float32Column(v.getDataBuffer(), v.getValueCount());
    }

    /** A List&lt;Int32&gt; vector, with an optional List&lt;Float32&gt; of weights. */
    static MultiValuedColumn lists(ListVector ids, ListVector weights) {
        IntVector values = (IntVector) ids.getDataVector();
        FloatColumn w = weights == null ? null : floats((Float4Vector) weights.getDataVector());
        return new ListColumn(ids.getOffsetBuffer(), ids.getValueCount(), ints(values), w);
    }

    static final class Int8Column implements IntColumn {
        private final ArrowBuf data;
        private final int size;
        private byte[] scratch = new byte[0];

        Int8Column(ArrowBuf data, int size) {
            this.data = data;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int getInt(int row) {
            return data.getByte(row);
        }

        @Override
        public void copyTo(int from, int[] target, int targetOffset, int length) {
            checkRange(from, length, size);
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            data.getBytes(from, scratch, 0, length);
            byte[] s = scratch;
            for (int i = 0; i < length; i++) {
                target[targetOffset + i] = s[i];
            }
        }

        /** Copies the raw bytes (for validation without widening). */
        void copyBytes(int from, byte[] target, int length) {
            data.getBytes(from, target, 0, length);
        }
    }

    static final class Int32Column implements IntColumn {
        private final ArrowBuf data;
        private final int size;

        Int32Column(ArrowBuf data, int size) {
            this.data = data;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int getInt(int row) {
            return data.getInt((long) row << 2);
        }

        @Override
        public void copyTo(int from, int[] target, int targetOffset, int length) {
            checkRange(from, length, size);
            if (length == 0) {
                return;
            }
            data.nioBuffer((long) from << 2, length << 2)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asIntBuffer()
                    .get(target, targetOffset, length);
        }
    }

    static final class Int64Column implements LongColumn {
        private final ArrowBuf data;
        private final int size;

        Int64Column(ArrowBuf data, int size) {
            this.data = data;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public long getLong(int row) {
            return data.getLong((long) row << 3);
        }

        @Override
        public void copyTo(int from, long[] target, int targetOffset, int length) {
            checkRange(from, length, size);
            if (length == 0) {
                return;
            }
            data.nioBuffer((long) from << 3, length << 3)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asLongBuffer()
                    .get(target, targetOffset, length);
        }
    }

    static final class Float32Column implements FloatColumn {
        private final ArrowBuf data;
        private final int size;

        Float32Column(ArrowBuf data, int size) {
            this.data = data;
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public float getFloat(int row) {
            return data.getFloat((long) row << 2);
        }

        @Override
        public void copyTo(int from, float[] target, int targetOffset, int length) {
            checkRange(from, length, size);
            if (length == 0) {
                return;
            }
            data.nioBuffer((long) from << 2, length << 2)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(target, targetOffset, length);
        }
    }

    static final class ListColumn implements MultiValuedColumn {
        private final ArrowBuf offsets;
        private final int size;
        private final IntColumn ids;
        private final FloatColumn weights;

        ListColumn(ArrowBuf offsets, int size, IntColumn ids, FloatColumn weights) {
            this.offsets = offsets;
            this.size = size;
            this.ids = ids;
            this.weights = weights;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int start(int row) {
            return offsets.getInt((long) row << 2);
        }

        @Override
        public int end(int row) {
            return offsets.getInt((long) (row + 1) << 2);
        }

        @Override
        public IntColumn ids() {
            return ids;
        }

        @Override
        public Optional<FloatColumn> weights() {
            return Optional.ofNullable(weights);
        }
    }

    private static void checkRange(int from, int length, int size) {
        if (from < 0 || length < 0 || from > size - length) {
            throw new IndexOutOfBoundsException(
                    "Rows [" + from + ", " + (from + length) + ") outside [0, " + size + ")");
        }
    }
}
