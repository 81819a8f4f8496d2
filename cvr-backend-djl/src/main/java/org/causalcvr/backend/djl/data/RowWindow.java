package org.causalcvr.backend.djl.data;

import java.util.Arrays;
import java.util.Optional;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FloatColumn;
import org.causalcvr.api.data.IntColumn;
import org.causalcvr.api.data.MultiValuedColumn;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.backend.djl.model.DenseInput;

/**
 * Rows copied out of streamed batches (which are valid only until the cursor moves) into primitive
 * arrays, with ids already resolved to table rows: the shuffle window of the input pipeline and the
 * staging area of scoring. Column copies are bulk ({@link IntColumn#copyTo}); picking rows into a
 * {@link HostBatch} is a gather by index.
 */
public final class RowWindow {
    private final FieldLayout layout;
    private final boolean truth;
    private final int capacity;
    private final int singles;
    private final int[] singleFields;
    private final int[] multiFields;
    private int size;
    private final int[] clicks;
    private final int[] conversions;
    private final float[] propensity;
    // The data's estimated propensity (column 'propensity'): allocated when a batch carries it;
    // hasEstimated says whether the rows now in the window have it (decided by the first batch).
    private float[] estimated;
    private boolean hasEstimated;
    private String source = "";
    private final int[] single;
    private final int[][] multiStart;
    private final int[][] multiLength;
    private int[][] multiRows;
    private float[][] multiWeights;
    private final int[] multiUsed;
    private final DenseInput denseInput;
    private final int denseWidth;
    private final float[] dense;
    private int[] scratch = new int[0];
    private float[] denseScratch = new float[0];

    public RowWindow(FieldLayout layout, int capacity, boolean truth) {
        this.layout = layout;
        this.truth = truth;
        this.capacity = capacity;
        this.singleFields = layout.singleFields();
        this.multiFields = layout.multiFields();
        this.singles = singleFields.length;
        clicks = new int[capacity];
        conversions = new int[capacity];
        propensity = truth ? new float[capacity] : null;
        single = new int[capacity * singles];
        int mc = multiFields.length;
        multiStart = new int[mc][capacity];
        multiLength = new int[mc][capacity];
        multiRows = new int[mc][16];
        multiWeights = new float[mc][16];
        multiUsed = new int[mc];
        denseInput = layout.denseInput();
        denseWidth = denseInput.width();
        dense = new float[capacity * denseWidth];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public int free() {
        return capacity - size;
    }

    public void clear() {
        size = 0;
        Arrays.fill(multiUsed, 0);
    }

    /**
     * Appends rows {@code [from, from+count)} of {@code batch}; {@code firstRow} is the stream
     * position of {@code from}, and {@code source} names the data, for error messages.
     */
    public void append(ExposureBatch batch, int from, int count, long firstRow, String source) {
        int at = size;
        this.source = source;
        Optional<FloatColumn> est = batch.propensity();
        if (at == 0) {
            hasEstimated = est.isPresent();
        } else if (hasEstimated != est.isPresent()) {
            throw new DataException(
                    source
                            + ", column '"
                            + ReservedColumns.PROPENSITY
                            + "': present in some batches only");
        }
        if (hasEstimated) {
            if (estimated == null) {
                estimated = new float[capacity];
            }
            est.get().copyTo(from, estimated, at, count);
        }
        batch.clicks().copyTo(from, clicks, at, count);
        batch.conversions().copyTo(from, conversions, at, count);
        for (int i = 0; i < count; i++) {
            int o = clicks[at + i];
            int r = conversions[at + i];
            if ((o & ~1) != 0 || (r & ~1) != 0 || r > o) {
                throw new DataException(
                        source
                                + ", column '"
                                + ((o & ~1) != 0 ? "click" : "conversion")
                                + "', row "
                                + (firstRow + i)
                                + ": "
                                + ((o & ~1) != 0 || (r & ~1) != 0
                                        ? "label is not 0 or 1"
                                        : "a conversion without a click"));
            }
        }
        if (truth) {
            FloatColumn p =
                    batch.truePropensity()
                            .orElseThrow(
                                    () ->
                                            new DataException(
                                                    source
                                                            + ": the schema declares ground truth but a batch has no 'true_propensity'"));
            p.copyTo(from, propensity, at, count);
        }
        if (scratch.length < count) {
            scratch = new int[count];
        }
        for (int j = 0; j < singles; j++) {
            int f = singleFields[j];
            batch.feature(f).copyTo(from, scratch, 0, count);
            for (int i = 0; i < count; i++) {
                single[(at + i) * singles + j] = layout.row(f, scratch[i], source, firstRow + i);
            }
        }
        if (denseWidth > 0) {
            if (denseScratch.length < count) {
                denseScratch = new float[count];
            }
            for (int k = 0; k < denseWidth; k++) {
                batch.denseFeature(k).copyTo(from, denseScratch, 0, count);
                for (int i = 0; i < count; i++) {
                    dense[(at + i) * denseWidth + k] =
                            denseInput.value(k, denseScratch[i], source, firstRow + i);
                }
            }
        }
        for (int m = 0; m < multiFields.length; m++) {
            int f = multiFields[m];
            MultiValuedColumn col = batch.multiValuedFeature(f);
            int begin = col.start(from);
            int end = col.end(from + count - 1);
            int n = end - begin;
            ensureMulti(m, multiUsed[m] + n);
            int base = multiUsed[m];
            col.ids().copyTo(begin, multiRows[m], base, n);
            if (col.weights().isPresent()) {
                col.weights().get().copyTo(begin, multiWeights[m], base, n);
            } else {
                Arrays.fill(multiWeights[m], base, base + n, 1f);
            }
            for (int i = 0; i < count; i++) {
                int s = col.start(from + i);
                int e = col.end(from + i);
                multiStart[m][at + i] = base + (s - begin);
                multiLength[m][at + i] = e - s;
                for (int k = base + (s - begin); k < base + (e - begin); k++) {
                    multiRows[m][k] = layout.row(f, multiRows[m][k], source, firstRow + i);
                }
            }
            multiUsed[m] += n;
        }
        size += count;
    }

    private void ensureMulti(int m, int values) {
        if (multiRows[m].length < values) {
            int cap = Math.max(values, multiRows[m].length * 2);
            multiRows[m] = Arrays.copyOf(multiRows[m], cap);
            multiWeights[m] = Arrays.copyOf(multiWeights[m], cap);
        }
    }

    public int click(int row) {
        return clicks[row];
    }

    /** Fills {@code out} with the rows {@code picks[0..count)} of this window, in that order. */
    public void fill(HostBatch out, int[] picks, int count) {
        out.reset(count, truth);
        out.sourceRows = count;
        out.source = source;
        if (!hasEstimated) {
            out.propensity = null;
        } else if (out.propensity == null || out.propensity.length < count) {
            out.propensity = new float[count];
        }
        out.ensureDense(count, denseWidth);
        for (int i = 0; i < count; i++) {
            int r = picks[i];
            out.clicks[i] = clicks[r];
            out.conversions[i] = conversions[r];
            if (truth) {
                out.truePropensity[i] = propensity[r];
            }
            if (hasEstimated) {
                out.propensity[i] = estimated[r];
            }
            System.arraycopy(single, r * singles, out.singleRows, i * singles, singles);
            if (denseWidth > 0) {
                System.arraycopy(dense, r * denseWidth, out.dense, i * denseWidth, denseWidth);
            }
        }
        for (int m = 0; m < multiFields.length; m++) {
            int total = 0;
            for (int i = 0; i < count; i++) {
                total += multiLength[m][picks[i]];
            }
            out.ensureMulti(m, total);
            int p = 0;
            for (int i = 0; i < count; i++) {
                int r = picks[i];
                int len = multiLength[m][r];
                System.arraycopy(multiRows[m], multiStart[m][r], out.multiRows[m], p, len);
                System.arraycopy(multiWeights[m], multiStart[m][r], out.multiWeights[m], p, len);
                p += len;
                out.multiOffsets[m][i + 1] = p;
            }
        }
        out.finish();
    }

    /** Copies rows {@code picks[0..count)} of {@code from} into this (cleared) window. */
    public void copyRows(RowWindow from, int[] picks, int count) {
        clear();
        source = from.source;
        hasEstimated = from.hasEstimated;
        if (hasEstimated && estimated == null) {
            estimated = new float[capacity];
        }
        for (int i = 0; i < count; i++) {
            int r = picks[i];
            clicks[i] = from.clicks[r];
            conversions[i] = from.conversions[r];
            if (truth) {
                propensity[i] = from.propensity[r];
            }
            if (hasEstimated) {
                estimated[i] = from.estimated[r];
            }
            System.arraycopy(from.single, r * singles, single, i * singles, singles);
            if (denseWidth > 0) {
                System.arraycopy(from.dense, r * denseWidth, dense, i * denseWidth, denseWidth);
            }
            for (int m = 0; m < multiFields.length; m++) {
                int len = from.multiLength[m][r];
                ensureMulti(m, multiUsed[m] + len);
                System.arraycopy(
                        from.multiRows[m], from.multiStart[m][r], multiRows[m], multiUsed[m], len);
                System.arraycopy(
                        from.multiWeights[m],
                        from.multiStart[m][r],
                        multiWeights[m],
                        multiUsed[m],
                        len);
                multiStart[m][i] = multiUsed[m];
                multiLength[m][i] = len;
                multiUsed[m] += len;
            }
        }
        size = count;
    }
}
