package org.causalcvr.data.arrow;

import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FloatColumn;
import org.causalcvr.api.data.MultiValuedArrays;
import org.causalcvr.api.data.MultiValuedColumn;

/** Copies of batches that outlive their cursor. */
public final class ExposureBatches {
    private ExposureBatches() {}

    /** A heap copy of every row of {@code batch}, valid forever. */
    public static ArrayExposureBatch copy(ExposureBatch batch) {
        return copyWithout(batch, null);
    }

    /**
     * A heap copy of the rows of {@code batch} whose {@code drop} flag is false.
     *
     * @param drop one flag per row, or null to keep every row
     */
    public static ArrayExposureBatch copyWithout(ExposureBatch batch, boolean[] drop) {
        FeatureSchema schema = batch.schema();
        int n = batch.size();
        int[] keep = new int[n];
        int kept = 0;
        for (int r = 0; r < n; r++) {
            if (drop == null || !drop[r]) {
                keep[kept++] = r;
            }
        }
        int[] click = pick(batch.clicks(), keep, kept, n);
        int[] conv = pick(batch.conversions(), keep, kept, n);
        int[][] single = new int[schema.size()][];
        MultiValuedArrays[] multi = new MultiValuedArrays[schema.size()];
        for (int f = 0; f < schema.size(); f++) {
            if (schema.field(f).multiValued()) {
                multi[f] = pickLists(batch.multiValuedFeature(f), keep, kept);
            } else {
                single[f] = pick(batch.feature(f), keep, kept, n);
            }
        }
        long[] groups = null;
        if (batch.groups().isPresent()) {
            long[] all = new long[n];
            batch.groups().get().copyTo(0, all, 0, n);
            groups = new long[kept];
            for (int i = 0; i < kept; i++) {
                groups[i] = all[keep[i]];
            }
        }
        float[] p = null;
        float[] q = null;
        if (batch.truePropensity().isPresent() && batch.trueCvr().isPresent()) {
            p = pickFloats(batch.truePropensity().get(), keep, kept, n);
            q = pickFloats(batch.trueCvr().get(), keep, kept, n);
        }
        float[][] dense = new float[schema.dense().size()][];
        for (int d = 0; d < dense.length; d++) {
            dense[d] = pickFloats(batch.denseFeature(d), keep, kept, n);
        }
        float[] estimated =
                batch.propensity().isPresent()
                        ? pickFloats(batch.propensity().get(), keep, kept, n)
                        : null;
        return new ArrayExposureBatch(
                schema, click, conv, single, multi, groups, p, q, dense, estimated);
    }

    private static int[] pick(org.causalcvr.api.data.IntColumn c, int[] keep, int kept, int n) {
        int[] all = new int[n];
        c.copyTo(0, all, 0, n);
        if (kept == n) {
            return all;
        }
        int[] out = new int[kept];
        for (int i = 0; i < kept; i++) {
            out[i] = all[keep[i]];
        }
        return out;
    }

    private static float[] pickFloats(FloatColumn c, int[] keep, int kept, int n) {
        float[] all = new float[n];
        c.copyTo(0, all, 0, n);
        float[] out = new float[kept];
        for (int i = 0; i < kept; i++) {
            out[i] = all[keep[i]];
        }
        return out;
    }

    private static MultiValuedArrays pickLists(MultiValuedColumn c, int[] keep, int kept) {
        int[] offsets = new int[kept + 1];
        int total = 0;
        for (int i = 0; i < kept; i++) {
            total += c.end(keep[i]) - c.start(keep[i]);
            offsets[i + 1] = total;
        }
        int[] ids = new int[total];
        FloatColumn weights = c.weights().orElse(null);
        float[] w = weights == null ? null : new float[total];
        for (int i = 0; i < kept; i++) {
            int s = c.start(keep[i]);
            int len = c.end(keep[i]) - s;
            c.ids().copyTo(s, ids, offsets[i], len);
            if (w != null) {
                weights.copyTo(s, w, offsets[i], len);
            }
        }
        return new MultiValuedArrays(offsets, ids, w);
    }
}
