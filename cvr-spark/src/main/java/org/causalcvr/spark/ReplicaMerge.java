package org.causalcvr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.parallel.ReplicaUpdate;
import org.causalcvr.api.parallel.TouchedRows;

/**
 * The merge rule of data-parallel training, as an aggregation Spark's {@code treeAggregate} runs:
 * {@link #add} one worker's update, {@link #combine} two partial merges, {@link #result} the merged
 * state.
 *
 * <ul>
 *   <li>Dense values: the average over the workers weighted by the rows each trained in the round,
 *       {@code Σ_w n_w·x_w / Σ_w n_w} (a worker with no rows does not count);
 *   <li>embedding rows: each row touched by some worker, averaged over the workers that touched it
 *       weighted by their touches, {@code Σ_w t_w·r_w / Σ_w t_w}; a row no worker touched is not in
 *       the result, so every replica keeps its (equal) value;
 *   <li>step counts: the maximum.
 * </ul>
 *
 * Sums are kept as double-double (a sum and its exact rounding error, Knuth's TwoSum), so their
 * value does not depend on the order in which Spark combines partial results, and the merged floats
 * are the same bytes for the same updates (exact while a sum's terms span less than about 100 bits,
 * which float values times row counts do).
 */
final class ReplicaMerge implements Serializable {
    private static final long serialVersionUID = 1L;

    private long weight;
    private long[] steps;
    private double[] denseHi;
    private double[] denseLo;
    private final Map<String, TableSum> tables = new LinkedHashMap<>();
    private long bytesUp;
    private int updates;
    private long maxTrainNanos;

    /** One table's touched rows: per row, its weighted sums and its touches. */
    private static final class TableSum implements Serializable {
        private static final long serialVersionUID = 1L;
        final int width;
        final Map<Integer, double[]> rows = new HashMap<>();

        TableSum(int width) {
            this.width = width;
        }
    }

    /** Adds one worker's update ({@code trainNanos}: the time its round took to train). */
    ReplicaMerge add(ReplicaUpdate u, long trainNanos) {
        updates++;
        bytesUp += u.bytes();
        maxTrainNanos = Math.max(maxTrainNanos, trainNanos);
        steps = max(steps, u.steps());
        if (u.weight() > 0) {
            float[] d = u.dense();
            if (denseHi == null) {
                denseHi = new double[d.length];
                denseLo = new double[d.length];
            } else if (denseHi.length != d.length) {
                throw new IllegalArgumentException(
                        "Updates of " + denseHi.length + " and " + d.length + " dense values");
            }
            double w = u.weight();
            for (int i = 0; i < d.length; i++) {
                twoSum(denseHi, denseLo, i, w * d[i], 0);
            }
            weight += u.weight();
        }
        for (TouchedRows t : u.tables()) {
            TableSum sum = tables.computeIfAbsent(t.table(), k -> new TableSum(t.width()));
            int width = t.width();
            for (int r = 0; r < t.size(); r++) {
                double[] acc = sum.rows.computeIfAbsent(t.ids()[r], k -> new double[2 * width + 1]);
                double touches = t.touches()[r];
                for (int k = 0; k < width; k++) {
                    twoSum(acc, 2 * k, touches * t.values()[r * width + k]);
                }
                acc[2 * width] += touches;
            }
        }
        return this;
    }

    /** Adds a partial merge (Spark's combine). */
    ReplicaMerge combine(ReplicaMerge o) {
        updates += o.updates;
        bytesUp += o.bytesUp;
        maxTrainNanos = Math.max(maxTrainNanos, o.maxTrainNanos);
        steps = max(steps, o.steps);
        if (o.denseHi != null) {
            if (denseHi == null) {
                denseHi = o.denseHi.clone();
                denseLo = o.denseLo.clone();
            } else {
                for (int i = 0; i < denseHi.length; i++) {
                    twoSum(denseHi, denseLo, i, o.denseHi[i], o.denseLo[i]);
                }
            }
            weight += o.weight;
        }
        for (var e : o.tables.entrySet()) {
            TableSum mine = tables.get(e.getKey());
            if (mine == null) {
                tables.put(e.getKey(), e.getValue());
                continue;
            }
            int width = mine.width;
            for (var row : e.getValue().rows.entrySet()) {
                double[] acc = mine.rows.get(row.getKey());
                if (acc == null) {
                    mine.rows.put(row.getKey(), row.getValue());
                    continue;
                }
                double[] other = row.getValue();
                for (int k = 0; k < width; k++) {
                    twoSum(acc, 2 * k, other[2 * k]);
                    twoSum(acc, 2 * k, other[2 * k + 1]);
                }
                acc[2 * width] += other[2 * width];
            }
        }
        return this;
    }

    /** Worker updates merged so far. */
    int updates() {
        return updates;
    }

    /** Bytes of the updates merged so far ({@link ReplicaUpdate#bytes()}). */
    long bytesUp() {
        return bytesUp;
    }

    /** The longest training time of one worker's round merged so far. */
    long maxTrainNanos() {
        return maxTrainNanos;
    }

    /**
     * The merged state: weighted dense averages, touch-weighted rows (ids ascending, touches
     * summed), maximal step counts.
     *
     * @throws IllegalStateException if no worker trained a row (nothing to average)
     */
    ReplicaUpdate result() {
        if (denseHi == null) {
            throw new IllegalStateException("No worker trained a row in this round");
        }
        float[] dense = new float[denseHi.length];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) ((denseHi[i] + denseLo[i]) / weight);
        }
        List<TouchedRows> out = new ArrayList<>();
        for (var e : tables.entrySet()) {
            TableSum t = e.getValue();
            int width = t.width;
            int[] ids = t.rows.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            float[] values = new float[ids.length * width];
            int[] touches = new int[ids.length];
            for (int r = 0; r < ids.length; r++) {
                double[] acc = t.rows.get(ids[r]);
                double n = acc[2 * width];
                touches[r] = (int) n;
                for (int k = 0; k < width; k++) {
                    values[r * width + k] = (float) ((acc[2 * k] + acc[2 * k + 1]) / n);
                }
            }
            out.add(new TouchedRows(e.getKey(), width, ids, values, touches));
        }
        return new ReplicaUpdate(weight, steps, dense, out);
    }

    private static long[] max(long[] a, long[] b) {
        if (a == null) {
            return b.clone();
        }
        if (a.length != b.length) {
            throw new IllegalArgumentException(
                    "Updates of " + a.length + " and " + b.length + " step counts");
        }
        long[] out = Arrays.copyOf(a, a.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(out[i], b[i]);
        }
        return out;
    }

    /** Adds {@code x + xLo} to the double-double {@code (hi[i], lo[i])}. */
    private static void twoSum(double[] hi, double[] lo, int i, double x, double xLo) {
        double s = hi[i] + x;
        double bp = s - hi[i];
        double err = (hi[i] - (s - bp)) + (x - bp);
        hi[i] = s;
        lo[i] += err + xLo;
    }

    /** Adds {@code x} to the double-double stored at {@code acc[at], acc[at + 1]}. */
    private static void twoSum(double[] acc, int at, double x) {
        double s = acc[at] + x;
        double bp = s - acc[at];
        double err = (acc[at] - (s - bp)) + (x - bp);
        acc[at] = s;
        acc[at + 1] += err;
    }
}
