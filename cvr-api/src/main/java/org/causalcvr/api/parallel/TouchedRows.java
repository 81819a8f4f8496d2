package org.causalcvr.api.parallel;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The rows of one embedding table that a replica touched in a round: their ids (ascending), their
 * state after the round ({@code width} floats per row, the backend's layout: for the DJL backend
 * the row's weights, then its two Adam moments) and how many steps touched each one. In a merged
 * update, {@code touches} holds the sum over the workers that touched the row.
 *
 * @param table the table's name (the embedding group)
 * @param width floats per row
 * @param ids row ids, ascending, distinct
 * @param values {@code ids.length · width} floats, row after row
 * @param touches steps that touched each row (at least 1)
 */
public record TouchedRows(String table, int width, int[] ids, float[] values, int[] touches)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public TouchedRows {
        if (width < 1
                || values.length != (long) ids.length * width
                || touches.length != ids.length) {
            throw new IllegalArgumentException(
                    "Table '"
                            + table
                            + "': "
                            + ids.length
                            + " ids, "
                            + values.length
                            + " values of width "
                            + width
                            + " and "
                            + touches.length
                            + " touch counts do not match");
        }
    }

    /** Number of rows. */
    public int size() {
        return ids.length;
    }

    /** Bytes these rows take on the wire: 4 per id, value and touch count. */
    public long bytes() {
        return 4L * ids.length * (width + 2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TouchedRows t
                && table.equals(t.table)
                && width == t.width
                && Arrays.equals(ids, t.ids)
                && Arrays.equals(values, t.values)
                && Arrays.equals(touches, t.touches);
    }

    @Override
    public int hashCode() {
        return 31 * table.hashCode() + Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return "TouchedRows[" + table + ", " + ids.length + " rows of width " + width + "]";
    }
}
