package org.causalcvr.data.arrow;

import java.util.List;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.MultiValuedArrays;

/** Concatenation of heap batches, to compare whole logs. */
public final class TestBatches {
    private TestBatches() {}

    public static ArrayExposureBatch readAll(ExposureSource source) {
        var parts = new java.util.ArrayList<ArrayExposureBatch>();
        try (BatchCursor c = source.open()) {
            while (c.next()) {
                parts.add(ExposureBatches.copy(c.batch()));
            }
        }
        return concat(parts);
    }

    /** Fails unless both batches hold the same schema and the same values in every column. */
    public static void assertSameRows(ArrayExposureBatch a, ArrayExposureBatch b) {
        org.assertj.core.api.Assertions.assertThat(a.schema()).isEqualTo(b.schema());
        org.assertj.core.api.Assertions.assertThat(a.clickLabels()).isEqualTo(b.clickLabels());
        org.assertj.core.api.Assertions.assertThat(a.conversionLabels())
                .isEqualTo(b.conversionLabels());
        for (int f = 0; f < a.schema().size(); f++) {
            String name = a.schema().field(f).name();
            org.assertj.core.api.Assertions.assertThat(a.singleValued()[f])
                    .as(name)
                    .isEqualTo(b.singleValued()[f]);
            MultiValuedArrays x = a.multiValued()[f];
            MultiValuedArrays y = b.multiValued()[f];
            if (x == null || y == null) {
                org.assertj.core.api.Assertions.assertThat(x).as(name).isEqualTo(y);
            } else {
                org.assertj.core.api.Assertions.assertThat(x.offsets())
                        .as(name)
                        .isEqualTo(y.offsets());
                org.assertj.core.api.Assertions.assertThat(x.idValues())
                        .as(name)
                        .isEqualTo(y.idValues());
                org.assertj.core.api.Assertions.assertThat(x.weightValues())
                        .as(name)
                        .isEqualTo(y.weightValues());
            }
        }
        org.assertj.core.api.Assertions.assertThat(a.groupIds()).isEqualTo(b.groupIds());
        org.assertj.core.api.Assertions.assertThat(a.truePropensities())
                .isEqualTo(b.truePropensities());
        org.assertj.core.api.Assertions.assertThat(a.trueCvrs()).isEqualTo(b.trueCvrs());
        org.assertj.core.api.Assertions.assertThat(a.denseValues()).isEqualTo(b.denseValues());
        org.assertj.core.api.Assertions.assertThat(a.propensities()).isEqualTo(b.propensities());
    }

    public static ArrayExposureBatch concat(List<ArrayExposureBatch> parts) {
        FeatureSchema s = parts.get(0).schema();
        int n = parts.stream().mapToInt(ArrayExposureBatch::size).sum();
        int[] click = new int[n];
        int[] conv = new int[n];
        int[][] single = new int[s.size()][];
        MultiValuedArrays[] multi = new MultiValuedArrays[s.size()];
        long[] groups = s.hasGroup() ? new long[n] : null;
        float[] p = s.hasGroundTruth() ? new float[n] : null;
        float[] q = s.hasGroundTruth() ? new float[n] : null;
        for (int f = 0; f < s.size(); f++) {
            if (!s.field(f).multiValued()) {
                single[f] = new int[n];
            }
        }
        int at = 0;
        for (ArrayExposureBatch b : parts) {
            int m = b.size();
            System.arraycopy(b.clickLabels(), 0, click, at, m);
            System.arraycopy(b.conversionLabels(), 0, conv, at, m);
            for (int f = 0; f < s.size(); f++) {
                if (single[f] != null) {
                    System.arraycopy(b.singleValued()[f], 0, single[f], at, m);
                }
            }
            if (groups != null) {
                System.arraycopy(b.groupIds(), 0, groups, at, m);
            }
            if (p != null) {
                System.arraycopy(b.truePropensities(), 0, p, at, m);
                System.arraycopy(b.trueCvrs(), 0, q, at, m);
            }
            at += m;
        }
        for (int f = 0; f < s.size(); f++) {
            if (s.field(f).multiValued()) {
                int total = 0;
                for (ArrayExposureBatch b : parts) {
                    total += b.multiValued()[f].idValues().length;
                }
                int[] offsets = new int[n + 1];
                int[] ids = new int[total];
                boolean weighted = parts.get(0).multiValued()[f].weightValues() != null;
                float[] w = weighted ? new float[total] : null;
                int row = 0;
                int pos = 0;
                for (ArrayExposureBatch b : parts) {
                    MultiValuedArrays mv = b.multiValued()[f];
                    for (int r = 0; r < mv.size(); r++) {
                        offsets[row + r + 1] = pos + mv.offsets()[r + 1];
                    }
                    System.arraycopy(mv.idValues(), 0, ids, pos, mv.idValues().length);
                    if (w != null) {
                        System.arraycopy(mv.weightValues(), 0, w, pos, mv.idValues().length);
                    }
                    row += mv.size();
                    pos += mv.idValues().length;
                }
                multi[f] = new MultiValuedArrays(offsets, ids, w);
            }
        }
        float[][] dense = new float[s.dense().size()][n];
        float[] estimated = parts.get(0).propensities() == null ? null : new float[n];
        int from = 0;
        for (ArrayExposureBatch b : parts) {
            for (int d = 0; d < dense.length; d++) {
                System.arraycopy(b.denseValues()[d], 0, dense[d], from, b.size());
            }
            if (estimated != null) {
                System.arraycopy(b.propensities(), 0, estimated, from, b.size());
            }
            from += b.size();
        }
        return new ArrayExposureBatch(
                s, click, conv, single, multi, groups, p, q, dense, estimated);
    }
}
