package org.causalcvr.backend.djl.embedding;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.causalcvr.backend.djl.data.FieldLayout;

/**
 * One embedding table with its lazy-Adam moments, in Java heap memory owned by this store, so that
 * a training step touches only the rows of its batch.
 *
 * <p>A row takes memory when it is first written, not before: an open-addressing map from row to
 * slot, and the slots in slabs of {@value #SLAB_SLOTS}, each slot holding the row's weights and
 * both moments side by side (the Adam step reads and writes all three, so they share cache lines).
 * Memory therefore grows with the rows a run touches, whatever the table's size (1e8 rows cost
 * nothing up front), and a step's cost does not depend on the table's size. A row never written
 * reads as its initial value, a nearly normal draw with standard deviation {@code initStd} computed
 * from (seed, row, column) by a counter-based generator, so the initial table costs no memory and
 * no time, and is the same for a seed however the rows are visited.
 *
 * <p>The update is lazy Adam (as {@code torch.optim.SparseAdam} and parameter servers do): only the
 * rows in a batch move, and their moments decay only when they are touched. Not thread-safe for
 * writes; reads of rows while nothing writes are safe.
 */
public final class EmbeddingTable {
    public static final int SLAB_SHIFT = 12;
    public static final int SLAB_SLOTS = 1 << SLAB_SHIFT;

    private final int rows;
    private final int dim;
    private final long seed;
    private final float initStd;

    /** Floats per slot: weights, first moments, second moments. */
    private final int stride;

    private float[][] slabs = new float[16][];
    private int used;
    private int[] keys;
    private int[] slots;
    private int mapBits;
    private long steps;

    public EmbeddingTable(int rows, int dim, long seed, double initStd) {
        this.rows = rows;
        this.dim = dim;
        this.seed = seed;
        this.initStd = (float) initStd;
        this.stride = 3 * dim;
        mapBits = 12;
        keys = new int[1 << mapBits];
        slots = new int[1 << mapBits];
        java.util.Arrays.fill(keys, -1);
    }

    public int rows() {
        return rows;
    }

    public int dim() {
        return dim;
    }

    /** Adam updates applied so far (the bias-correction step count). */
    public long steps() {
        return steps;
    }

    public boolean isTouched(int row) {
        return slotOf(row) >= 0;
    }

    /** Number of rows ever written. */
    public long touchedRows() {
        return used;
    }

    /** Bytes held for rows (slabs and the row map), for memory reports. */
    public long bytesHeld() {
        long slabBytes = 0;
        for (float[] slab : slabs) {
            if (slab != null) {
                slabBytes += 4L * slab.length;
            }
        }
        return slabBytes + 8L * keys.length;
    }

    private int index(int row) {
        return (int) ((row * 0x9E3779B97F4A7C15L) >>> (64 - mapBits));
    }

    /** The slot of {@code row}, or −1 when it was never written. */
    private int slotOf(int row) {
        int mask = keys.length - 1;
        for (int h = index(row); ; h = (h + 1) & mask) {
            int key = keys[h];
            if (key == row) {
                return slots[h];
            }
            if (key < 0) {
                return -1;
            }
        }
    }

    /** Copies rows {@code rowIds[0..count)} into {@code out}, row after row. */
    public void gather(int[] rowIds, int count, float[] out) {
        for (int u = 0; u < count; u++) {
            int row = rowIds[u];
            int slot = slotOf(row);
            if (slot >= 0) {
                System.arraycopy(
                        slabs[slot >>> SLAB_SHIFT],
                        (slot & (SLAB_SLOTS - 1)) * stride,
                        out,
                        u * dim,
                        dim);
            } else {
                initialRow(row, out, u * dim);
            }
        }
    }

    /**
     * {@link #gather}, first giving every row that has none a slot (holding its initial value): for
     * rows that the next {@link #adamStepAtSlots} will update anyway. {@code slots[0..count)}
     * receives each row's slot (a slot never moves), so that the update need not look the rows up
     * again.
     */
    public void gatherMaterialising(int[] rowIds, int count, float[] out, int[] slots) {
        for (int u = 0; u < count; u++) {
            int slot = materialise(rowIds[u]);
            slots[u] = slot;
            System.arraycopy(
                    slabs[slot >>> SLAB_SHIFT],
                    (slot & (SLAB_SLOTS - 1)) * stride,
                    out,
                    u * dim,
                    dim);
        }
    }

    /**
     * One lazy Adam step on rows {@code rowIds[0..count)} with gradients {@code gradient} (row
     * after row): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², w ← w − lr·(m/(1−β1^t)) /
     * (√(v/(1−β2^t)) + ε), t counting this table's steps.
     */
    public void adamStep(
            int[] rowIds,
            int count,
            float[] gradient,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon) {
        adamStep(rowIds, count, gradient, learningRate, beta1, beta2, epsilon, 0.0);
    }

    /**
     * {@link #adamStep(int[], int, float[], double, double, double, double)} with an L2 penalty:
     * each given row's gradient gets {@code 2·l2·w} added first (rows not in the batch do not
     * decay, as with a sparse gradient).
     */
    public void adamStep(
            int[] rowIds,
            int count,
            float[] gradient,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon,
            double l2) {
        int[] slots = new int[count];
        for (int u = 0; u < count; u++) {
            slots[u] = materialise(rowIds[u]);
        }
        adamStepAtSlots(slots, count, gradient, learningRate, beta1, beta2, epsilon, l2);
    }

    /**
     * {@link #adamStep(int[], int, float[], double, double, double, double, double)} on the rows
     * whose slots {@link #gatherMaterialising} gave, in the same order.
     */
    public void adamStepAtSlots(
            int[] slots,
            int count,
            float[] gradient,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon,
            double l2) {
        float decay = (float) (2 * l2);
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (learningRate * Math.sqrt(bc2) / bc1);
        float eps = (float) (epsilon * Math.sqrt(bc2));
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        for (int u = 0; u < count; u++) {
            int slot = slots[u];
            float[] s = slabs[slot >>> SLAB_SHIFT];
            int w = (slot & (SLAB_SLOTS - 1)) * stride;
            int m = w + dim;
            int v = m + dim;
            int g = u * dim;
            for (int k = 0; k < dim; k++) {
                float grad = decay == 0f ? gradient[g + k] : gradient[g + k] + decay * s[w + k];
                float mk = b1 * s[m + k] + c1 * grad;
                float vk = b2 * s[v + k] + c2 * grad * grad;
                s[m + k] = mk;
                s[v + k] = vk;
                s[w + k] -= stepSize * mk / ((float) Math.sqrt(vk) + eps);
            }
        }
    }

    /** The slot of {@code row}, given one (initial weights, zero moments) if it has none. */
    private int materialise(int row) {
        int mask = keys.length - 1;
        int h = index(row);
        while (true) {
            int key = keys[h];
            if (key == row) {
                return slots[h];
            }
            if (key < 0) {
                break;
            }
            h = (h + 1) & mask;
        }
        int slot = used++;
        int slab = slot >>> SLAB_SHIFT;
        if (slab == slabs.length) {
            slabs = java.util.Arrays.copyOf(slabs, slabs.length * 2);
        }
        if (slabs[slab] == null) {
            slabs[slab] = new float[SLAB_SLOTS * stride];
        }
        initialRow(row, slabs[slab], (slot & (SLAB_SLOTS - 1)) * stride);
        keys[h] = row;
        slots[h] = slot;
        // Load factor at most 1/2: probes stay short.
        if (2L * used > keys.length) {
            grow();
        }
        return slot;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldSlots = slots;
        mapBits++;
        keys = new int[1 << mapBits];
        slots = new int[1 << mapBits];
        java.util.Arrays.fill(keys, -1);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            int row = oldKeys[i];
            if (row >= 0) {
                int h = index(row);
                while (keys[h] >= 0) {
                    h = (h + 1) & mask;
                }
                keys[h] = row;
                slots[h] = oldSlots[i];
            }
        }
    }

    /** The written rows, ascending. */
    private int[] touchedRowIds() {
        int[] out = new int[used];
        int n = 0;
        for (int key : keys) {
            if (key >= 0) {
                out[n++] = key;
            }
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /**
     * The initial value of {@code row}: per entry, the sum of four 16-bit uniforms of one hashed
     * counter (Irwin-Hall, variance 4/12), centred and scaled to standard deviation {@code
     * initStd}; close to normal, bounded at ±3.46σ, and far cheaper than Box-Muller on first touch.
     */
    private void initialRow(int row, float[] out, int offset) {
        long base = FieldLayout.mix(seed, row);
        float scale = initStd * (float) (Math.sqrt(3.0) / 65536.0);
        for (int k = 0; k < dim; k++) {
            long h = FieldLayout.mix(base, k);
            long sum = (h & 0xFFFF) + ((h >>> 16) & 0xFFFF) + ((h >>> 32) & 0xFFFF) + (h >>> 48);
            out[offset + k] = (sum - 2 * 65535L) * scale;
        }
    }

    /** Writes the touched rows (and, if {@code withMoments}, their moments and the step count). */
    public void write(DataOutputStream out, boolean withMoments) throws IOException {
        out.writeInt(rows);
        out.writeInt(dim);
        out.writeLong(seed);
        out.writeFloat(initStd);
        out.writeLong(withMoments ? steps : 0);
        out.writeBoolean(withMoments);
        int[] written = touchedRowIds();
        out.writeLong(written.length);
        byte[] buf = new byte[dim * 4 * (withMoments ? 3 : 1)];
        for (int row : written) {
            out.writeInt(row);
            int slot = slotOf(row);
            float[] slab = slabs[slot >>> SLAB_SHIFT];
            int base = (slot & (SLAB_SLOTS - 1)) * stride;
            int p = putFloats(buf, 0, slab, base);
            if (withMoments) {
                p = putFloats(buf, p, slab, base + dim);
                putFloats(buf, p, slab, base + 2 * dim);
            }
            out.write(buf);
        }
    }

    private int putFloats(byte[] buf, int p, float[] src, int base) {
        for (int k = 0; k < dim; k++) {
            int bits = Float.floatToRawIntBits(src[base + k]);
            buf[p++] = (byte) (bits >>> 24);
            buf[p++] = (byte) (bits >>> 16);
            buf[p++] = (byte) (bits >>> 8);
            buf[p++] = (byte) bits;
        }
        return p;
    }

    /** Reads a table written by {@link #write}; {@code what} names the file in errors. */
    public static EmbeddingTable read(DataInputStream in, String what) throws IOException {
        int rows = in.readInt();
        int dim = in.readInt();
        long seed = in.readLong();
        float std = in.readFloat();
        long steps = in.readLong();
        boolean moments = in.readBoolean();
        if (rows < 1 || dim < 1 || !(std > 0)) {
            throw new IOException(what + ": not an embedding table");
        }
        var table = new EmbeddingTable(rows, dim, seed, std);
        table.steps = steps;
        long n = in.readLong();
        byte[] buf = new byte[dim * 4 * (moments ? 3 : 1)];
        for (long i = 0; i < n; i++) {
            int row = in.readInt();
            if (row < 0 || row >= rows) {
                throw new IOException(what + ": row " + row + " outside [0, " + rows + ")");
            }
            in.readFully(buf);
            int slot = table.materialise(row);
            float[] slab = table.slabs[slot >>> SLAB_SHIFT];
            int base = (slot & (SLAB_SLOTS - 1)) * table.stride;
            int p = getFloats(buf, 0, slab, base, dim);
            if (moments) {
                p = getFloats(buf, p, slab, base + dim, dim);
                getFloats(buf, p, slab, base + 2 * dim, dim);
            }
        }
        return table;
    }

    private static int getFloats(byte[] buf, int p, float[] dst, int base, int dim) {
        for (int k = 0; k < dim; k++) {
            int bits =
                    ((buf[p] & 0xff) << 24)
                            | ((buf[p + 1] & 0xff) << 16)
                            | ((buf[p + 2] & 0xff) << 8)
                            | (buf[p + 3] & 0xff);
            dst[base + k] = Float.intBitsToFloat(bits);
            p += 4;
        }
        return p;
    }

    /** A deep copy (for the best-so-far snapshot of early stopping). */
    public EmbeddingTable copy() {
        var c = new EmbeddingTable(rows, dim, seed, initStd);
        c.steps = steps;
        c.used = used;
        c.mapBits = mapBits;
        c.keys = keys.clone();
        c.slots = slots.clone();
        c.slabs = new float[slabs.length][];
        for (int i = 0; i < slabs.length; i++) {
            if (slabs[i] != null) {
                c.slabs[i] = slabs[i].clone();
            }
        }
        return c;
    }

    /**
     * Floats per row in {@link #exportRows} and {@link #importRows}: weights, then both moments.
     */
    public int stateWidth() {
        return stride;
    }

    /**
     * Copies the state (weights, first and second moments: {@link #stateWidth()} floats) of rows
     * {@code rowIds[0..count)} into {@code out}, row after row; a row never written reads as its
     * initial value with zero moments. For data-parallel training.
     */
    public void exportRows(int[] rowIds, int count, float[] out) {
        for (int u = 0; u < count; u++) {
            int row = rowIds[u];
            int slot = slotOf(row);
            int o = u * stride;
            if (slot >= 0) {
                System.arraycopy(
                        slabs[slot >>> SLAB_SHIFT],
                        (slot & (SLAB_SLOTS - 1)) * stride,
                        out,
                        o,
                        stride);
            } else {
                initialRow(row, out, o);
                java.util.Arrays.fill(out, o + dim, o + stride, 0f);
            }
        }
    }

    /**
     * Overwrites the state of rows {@code rowIds[0..count)} with {@code values} (as {@link
     * #exportRows} lays it out), giving rows that have none a slot. For data-parallel training.
     */
    public void importRows(int[] rowIds, int count, float[] values) {
        for (int u = 0; u < count; u++) {
            int row = rowIds[u];
            if (row < 0 || row >= rows) {
                throw new IllegalArgumentException("row " + row + " outside [0, " + rows + ")");
            }
            int slot = materialise(row);
            System.arraycopy(
                    values,
                    u * stride,
                    slabs[slot >>> SLAB_SHIFT],
                    (slot & (SLAB_SLOTS - 1)) * stride,
                    stride);
        }
    }

    /** Sets the Adam step count (bias correction) to a merged one. For data-parallel training. */
    public void setSteps(long steps) {
        this.steps = steps;
    }
}
