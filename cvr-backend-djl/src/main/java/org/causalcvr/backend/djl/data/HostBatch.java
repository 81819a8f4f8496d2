package org.causalcvr.backend.djl.data;

import java.util.Arrays;

/**
 * A training or scoring batch in reusable Java arrays, with the table rows of every id resolved and
 * the batch's unique rows found, ready to become NDArrays. Filled by {@link RowWindow}, reused
 * across steps (its arrays only grow).
 */
public final class HostBatch {
    public final int singleCount;
    public final int multiCount;
    public int size;

    /** Rows of the data this batch was cut from, before under-sampling. */
    public int sourceRows;

    public float[] clicks = new float[0];
    public float[] conversions = new float[0];

    /** Null when the data has no ground truth. */
    public float[] truePropensity;

    /**
     * The data's estimated propensity p̂ (column {@code propensity}) per row; null when the data
     * has none.
     */
    public float[] propensity;

    /**
     * A weight per row for the loss (an unclicked row's chance of being kept, when the backend
     * weights instead of drawing); null when every row weighs 1.
     */
    public float[] rowWeights;

    /** The data the rows came from, for error messages. */
    public String source = "";

    /**
     * Table rows of the single-valued fields, row-major: {@code singleRows[i * singleCount + j]}.
     */
    public int[] singleRows = new int[0];

    /**
     * Per multi-valued field: row i's table rows are {@code multiRows[m][offsets[m][i]..[i+1])}.
     */
    public final int[][] multiOffsets;

    public final int[][] multiRows;
    public final float[][] multiWeights;

    /** Dense input columns per row (0 when the network reads none). */
    public int denseWidth;

    /** Transformed dense inputs, row-major: {@code dense[i * denseWidth + k]}. */
    public float[] dense = new float[0];

    // Derived by finish(): the batch's distinct table rows and every id's index among them.
    public int uniqueCount;
    public int[] uniqueRows = new int[0];
    public int[] localSingle = new int[0];

    /** Per multi-valued field: the longest list of the batch (at least 1). */
    public final int[] multiWidth;

    /** Per multi-valued field: local indices, padded to width with index {@code uniqueCount}. */
    public final int[][] localMulti;

    /** Per multi-valued field: pooling weights w_j / max(1, Σw), 0 for padding. */
    public final float[][] poolWeights;

    private int[] hashKeys = new int[0];
    private int[] hashValues = new int[0];

    public HostBatch(int singleCount, int multiCount) {
        this.singleCount = singleCount;
        this.multiCount = multiCount;
        multiOffsets = new int[multiCount][1];
        multiRows = new int[multiCount][0];
        multiWeights = new float[multiCount][0];
        multiWidth = new int[multiCount];
        localMulti = new int[multiCount][0];
        poolWeights = new float[multiCount][0];
    }

    /** Makes room for {@code rows} rows (ground truth arrays only if {@code truth}). */
    public void reset(int rows, boolean truth) {
        size = rows;
        if (clicks.length < rows) {
            clicks = new float[rows];
            conversions = new float[rows];
        }
        if (truth && (truePropensity == null || truePropensity.length < rows)) {
            truePropensity = new float[rows];
        } else if (!truth) {
            truePropensity = null;
        }
        if (singleRows.length < rows * singleCount) {
            singleRows = new int[rows * singleCount];
        }
        for (int m = 0; m < multiCount; m++) {
            if (multiOffsets[m].length < rows + 1) {
                multiOffsets[m] = new int[rows + 1];
            }
            multiOffsets[m][0] = 0;
        }
    }

    /** Makes room for {@code rows} rows of {@code width} dense inputs. */
    public void ensureDense(int rows, int width) {
        denseWidth = width;
        if (dense.length < rows * width) {
            dense = new float[rows * width];
        }
    }

    public void ensureMulti(int m, int values) {
        if (multiRows[m].length < values) {
            int cap = Math.max(values, multiRows[m].length * 2);
            multiRows[m] = Arrays.copyOf(multiRows[m], cap);
            multiWeights[m] = Arrays.copyOf(multiWeights[m], cap);
        }
    }

    /** Finds the unique rows and each id's local index (an open-addressing hash, reused). */
    public void finish() {
        int ids = size * singleCount;
        for (int m = 0; m < multiCount; m++) {
            ids += multiOffsets[m][size];
        }
        int cap = Integer.highestOneBit(Math.max(16, ids * 2)) << 1;
        if (hashKeys.length < cap) {
            hashKeys = new int[cap];
            hashValues = new int[cap];
        }
        Arrays.fill(hashKeys, 0, cap, -1);
        if (uniqueRows.length < ids) {
            uniqueRows = new int[ids];
        }
        if (localSingle.length < size * singleCount) {
            localSingle = new int[size * singleCount];
        }
        uniqueCount = 0;
        int mask = cap - 1;
        for (int i = 0; i < size * singleCount; i++) {
            localSingle[i] = local(singleRows[i], mask);
        }
        for (int m = 0; m < multiCount; m++) {
            int width = 1;
            int[] off = multiOffsets[m];
            for (int i = 0; i < size; i++) {
                width = Math.max(width, off[i + 1] - off[i]);
            }
            multiWidth[m] = width;
            if (localMulti[m].length < size * width) {
                localMulti[m] = new int[size * width];
                poolWeights[m] = new float[size * width];
            }
        }
        for (int m = 0; m < multiCount; m++) {
            int width = multiWidth[m];
            int[] off = multiOffsets[m];
            for (int i = 0; i < size; i++) {
                float total = 0;
                for (int j = off[i]; j < off[i + 1]; j++) {
                    total += multiWeights[m][j];
                }
                float norm = 1f / Math.max(1f, total);
                int k = 0;
                for (int j = off[i]; j < off[i + 1]; j++, k++) {
                    localMulti[m][i * width + k] = local(multiRows[m][j], mask);
                    poolWeights[m][i * width + k] = multiWeights[m][j] * norm;
                }
                for (; k < width; k++) {
                    localMulti[m][i * width + k] = -1;
                    poolWeights[m][i * width + k] = 0f;
                }
            }
        }
        // Padding points at the zero row appended after the unique rows.
        for (int m = 0; m < multiCount; m++) {
            int[] local = localMulti[m];
            for (int i = 0; i < size * multiWidth[m]; i++) {
                if (local[i] < 0) {
                    local[i] = uniqueCount;
                }
            }
        }
    }

    private int local(int row, int mask) {
        int h = (int) FieldLayout.mix(row, 0) & mask;
        while (true) {
            int key = hashKeys[h];
            if (key == row) {
                return hashValues[h];
            }
            if (key < 0) {
                hashKeys[h] = row;
                hashValues[h] = uniqueCount;
                uniqueRows[uniqueCount] = row;
                return uniqueCount++;
            }
            h = (h + 1) & mask;
        }
    }
}
