package org.causalcvr.backend.djl;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * One embedding table with its lazy-Adam moments, in Java heap memory owned by this store, so that
 * a training step touches only the rows of its batch.
 *
 * <p>Rows live in chunks of {@value #CHUNK_ROWS} rows that are allocated when a row in them is
 * first written. A row never written reads as its initial value, a nearly normal draw with standard
 * deviation {@code initStd} computed from (seed, row, column) by a counter-based generator, so the
 * initial table costs no memory and no time, and is the same for a seed however the rows are
 * visited.
 *
 * <p>The update is lazy Adam (as {@code torch.optim.SparseAdam} and parameter servers do): only the
 * rows in a batch move, and their moments decay only when they are touched. Not thread-safe for
 * writes; reads of rows while nothing writes are safe.
 */
final class EmbeddingTable {
    static final int CHUNK_SHIFT = 14;
    static final int CHUNK_ROWS = 1 << CHUNK_SHIFT;

    private final int rows;
    private final int dim;
    private final long seed;
    private final float initStd;
    private final float[][] weights;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    private final long[] touched;
    private long steps;

    EmbeddingTable(int rows, int dim, long seed, double initStd) {
        this.rows = rows;
        this.dim = dim;
        this.seed = seed;
        this.initStd = (float) initStd;
        int chunks = (int) (((long) rows + CHUNK_ROWS - 1) >>> CHUNK_SHIFT);
        weights = new float[chunks][];
        firstMoments = new float[chunks][];
        secondMoments = new float[chunks][];
        touched = new long[(int) (((long) rows + 63) >>> 6)];
    }

    int rows() {
        return rows;
    }

    int dim() {
        return dim;
    }

    /** Adam updates applied so far (the bias-correction step count). */
    long steps() {
        return steps;
    }

    boolean isTouched(int row) {
        return (touched[row >>> 6] & (1L << row)) != 0;
    }

    /** Number of rows ever written. */
    long touchedRows() {
        long n = 0;
        for (long word : touched) {
            n += Long.bitCount(word);
        }
        return n;
    }

    /** Copies rows {@code rowIds[0..count)} into {@code out}, row after row. */
    void gather(int[] rowIds, int count, float[] out) {
        for (int u = 0; u < count; u++) {
            int row = rowIds[u];
            if (isTouched(row)) {
                System.arraycopy(
                        weights[row >>> CHUNK_SHIFT],
                        (row & (CHUNK_ROWS - 1)) * dim,
                        out,
                        u * dim,
                        dim);
            } else {
                initialRow(row, out, u * dim);
            }
        }
    }

    /**
     * One lazy Adam step on rows {@code rowIds[0..count)} with gradients {@code gradient} (row
     * after row): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², w ← w − lr·(m/(1−β1^t)) /
     * (√(v/(1−β2^t)) + ε), t counting this table's steps.
     */
    void adamStep(
            int[] rowIds,
            int count,
            float[] gradient,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon) {
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
            int row = rowIds[u];
            materialise(row);
            int chunk = row >>> CHUNK_SHIFT;
            int base = (row & (CHUNK_ROWS - 1)) * dim;
            float[] w = weights[chunk];
            float[] m = firstMoments[chunk];
            float[] v = secondMoments[chunk];
            int g = u * dim;
            for (int k = 0; k < dim; k++) {
                float grad = gradient[g + k];
                float mk = b1 * m[base + k] + c1 * grad;
                float vk = b2 * v[base + k] + c2 * grad * grad;
                m[base + k] = mk;
                v[base + k] = vk;
                w[base + k] -= stepSize * mk / ((float) Math.sqrt(vk) + eps);
            }
        }
    }

    private void materialise(int row) {
        if (isTouched(row)) {
            return;
        }
        int chunk = row >>> CHUNK_SHIFT;
        if (weights[chunk] == null) {
            int chunkRows = Math.min(CHUNK_ROWS, rows - (chunk << CHUNK_SHIFT));
            weights[chunk] = new float[chunkRows * dim];
            firstMoments[chunk] = new float[chunkRows * dim];
            secondMoments[chunk] = new float[chunkRows * dim];
        }
        initialRow(row, weights[chunk], (row & (CHUNK_ROWS - 1)) * dim);
        touched[row >>> 6] |= 1L << row;
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
    void write(DataOutputStream out, boolean withMoments) throws IOException {
        out.writeInt(rows);
        out.writeInt(dim);
        out.writeLong(seed);
        out.writeFloat(initStd);
        out.writeLong(withMoments ? steps : 0);
        out.writeBoolean(withMoments);
        long n = touchedRows();
        out.writeLong(n);
        byte[] buf = new byte[dim * 4 * (withMoments ? 3 : 1)];
        for (int word = 0; word < touched.length; word++) {
            long bits = touched[word];
            while (bits != 0) {
                int row = (word << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                out.writeInt(row);
                int chunk = row >>> CHUNK_SHIFT;
                int base = (row & (CHUNK_ROWS - 1)) * dim;
                int p = putFloats(buf, 0, weights[chunk], base);
                if (withMoments) {
                    p = putFloats(buf, p, firstMoments[chunk], base);
                    putFloats(buf, p, secondMoments[chunk], base);
                }
                out.write(buf);
            }
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
    static EmbeddingTable read(DataInputStream in, String what) throws IOException {
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
            table.materialise(row);
            int chunk = row >>> CHUNK_SHIFT;
            int base = (row & (CHUNK_ROWS - 1)) * dim;
            int p = getFloats(buf, 0, table.weights[chunk], base, dim);
            if (moments) {
                p = getFloats(buf, p, table.firstMoments[chunk], base, dim);
                getFloats(buf, p, table.secondMoments[chunk], base, dim);
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
    EmbeddingTable copy() {
        var c = new EmbeddingTable(rows, dim, seed, initStd);
        c.steps = steps;
        System.arraycopy(touched, 0, c.touched, 0, touched.length);
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != null) {
                c.weights[i] = weights[i].clone();
                c.firstMoments[i] = firstMoments[i].clone();
                c.secondMoments[i] = secondMoments[i].clone();
            }
        }
        return c;
    }
}
