package org.causalcvr.api.data;

import java.util.Arrays;
import java.util.Optional;

/**
 * A {@link MultiValuedColumn} held in Java arrays: row {@code i} has ids {@code idValues[offsets[i]
 * .. offsets[i+1])}.
 *
 * @param offsets {@code size()+1} non-decreasing offsets into {@code ids}, from 0
 * @param idValues the ids of all rows, row after row
 * @param weightValues one weight per id, or null for weight 1
 */
public record MultiValuedArrays(int[] offsets, int[] idValues, float[] weightValues)
        implements MultiValuedColumn {
    public MultiValuedArrays {
        if (offsets.length == 0
                || offsets[0] != 0
                || offsets[offsets.length - 1] != idValues.length) {
            throw new IllegalArgumentException(
                    "Offsets must run from 0 to the number of idValues (" + idValues.length + ")");
        }
        for (int i = 1; i < offsets.length; i++) {
            if (offsets[i] < offsets[i - 1]) {
                throw new IllegalArgumentException("Offsets decrease at row " + (i - 1));
            }
        }
        if (weightValues != null && weightValues.length != idValues.length) {
            throw new IllegalArgumentException(
                    "weightValues has "
                            + weightValues.length
                            + " values for "
                            + idValues.length
                            + " idValues");
        }
    }

    @Override
    public int size() {
        return offsets.length - 1;
    }

    @Override
    public int start(int row) {
        return offsets[row];
    }

    @Override
    public int end(int row) {
        return offsets[row + 1];
    }

    @Override
    public IntColumn ids() {
        return ArrayExposureBatch.intColumn(idValues);
    }

    @Override
    public Optional<FloatColumn> weights() {
        return weightValues == null
                ? Optional.empty()
                : Optional.of(ArrayExposureBatch.floatColumn(weightValues));
    }

    /** Rows {@code [from, to)} as a new, independent column. */
    public MultiValuedArrays slice(int from, int to) {
        int base = offsets[from];
        int[] newOffsets = new int[to - from + 1];
        for (int i = 0; i <= to - from; i++) {
            newOffsets[i] = offsets[from + i] - base;
        }
        return new MultiValuedArrays(
                newOffsets,
                Arrays.copyOfRange(idValues, base, offsets[to]),
                weightValues == null ? null : Arrays.copyOfRange(weightValues, base, offsets[to]));
    }
}
