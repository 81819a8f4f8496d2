package org.causalcvr.api.parallel;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What a replica's round changed, or (merged) what every replica takes at the start of the next
 * round: every dense parameter with its optimiser state, and the embedding rows touched in the
 * round.
 *
 * @param weight the rows trained in the round (the weight of this update in a merge; 0: the replica
 *     had no rows left, and its dense state does not count)
 * @param steps optimiser step counts (Adam's bias correction) after the round, one per counter in
 *     the backend's fixed order (for the DJL backend: per tower, then per table); merged by maximum
 * @param dense every dense value in the backend's fixed order (for the DJL backend: every tower
 *     parameter, then their first moments, then their second moments)
 * @param tables per embedding table, the rows touched in the round
 */
public record ReplicaUpdate(long weight, long[] steps, float[] dense, List<TouchedRows> tables)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public ReplicaUpdate {
        if (weight < 0) {
            throw new IllegalArgumentException("weight must be >= 0");
        }
        tables = List.copyOf(tables);
    }

    /** Bytes on the wire: 4 per dense value, plus the touched rows', plus 8 per count. */
    public long bytes() {
        long b = 8 + 8L * steps.length + 4L * dense.length;
        for (TouchedRows t : tables) {
            b += t.bytes();
        }
        return b;
    }

    /** Touched rows over all tables. */
    public long touchedRows() {
        long n = 0;
        for (TouchedRows t : tables) {
            n += t.size();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplicaUpdate u
                && weight == u.weight
                && Arrays.equals(steps, u.steps)
                && Arrays.equals(dense, u.dense)
                && tables.equals(u.tables);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(weight) * 31 + Arrays.hashCode(dense);
    }

    @Override
    public String toString() {
        return "ReplicaUpdate[weight "
                + weight
                + ", steps "
                + Arrays.toString(steps)
                + ", "
                + dense.length
                + " dense, "
                + touchedRows()
                + " rows]";
    }
}
