package org.causalcvr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.parallel.ReplicaUpdate;
import org.causalcvr.api.parallel.TouchedRows;

/**
 * The merge rule of data-parallel training, and one merge (of workers, or of partial merges) with
 * what it cost.
 *
 * <ul>
 *   <li>Dense values: the average over the updates weighted by the rows each trained in the round,
 *       {@code Σ_w n_w·x_w / Σ_w n_w} (an update with no rows does not count);
 *   <li>embedding rows: each row touched by some update, averaged over the updates that touched it
 *       weighted by their touches, {@code Σ_w t_w·r_w / Σ_w t_w}; a row no update touched is not in
 *       the result, so every replica keeps its (equal) value;
 *   <li>step counts: the maximum.
 * </ul>
 *
 * A merge's result is itself an update (weight {@code Σ n_w}, touches summed), so merging partial
 * merges applies the same rule again; it equals the flat merge up to the rounding of the partials
 * to floats. Sums run in double, in the order of the list given: the same updates in the same order
 * give the same bytes. The caller fixes that order (workers by index, partial merges by group), so
 * a merge never depends on the order in which Spark's tasks finished.
 *
 * @param result the merged update
 * @param updates worker updates merged into it (directly or through partial merges)
 * @param bytesUp payload the workers sent ({@link ReplicaUpdate#bytes()} summed over them)
 * @param bytesPartial payload of the partial merges sent to the driver (0 for a merge of workers)
 * @param maxTrainNanos the longest training time of one worker's round merged into it
 */
record ReplicaMerge(
        ReplicaUpdate result, int updates, long bytesUp, long bytesPartial, long maxTrainNanos)
        implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Merges the updates of workers, given in worker order. */
    static ReplicaMerge ofWorkers(List<ParallelWorkers.WorkerResult> inWorkerOrder) {
        List<ReplicaUpdate> updates = new ArrayList<>();
        long bytes = 0;
        long slowest = 0;
        for (var w : inWorkerOrder) {
            updates.add(w.update());
            bytes += w.update().bytes();
            slowest = Math.max(slowest, w.trainNanos());
        }
        return new ReplicaMerge(merge(updates, false), updates.size(), bytes, 0, slowest);
    }

    /** Merges partial merges, given in group order. */
    static ReplicaMerge ofPartials(List<ReplicaMerge> inGroupOrder) {
        List<ReplicaUpdate> updates = new ArrayList<>();
        int n = 0;
        long bytes = 0;
        long partial = 0;
        long slowest = 0;
        for (var m : inGroupOrder) {
            updates.add(m.result());
            n += m.updates();
            bytes += m.bytesUp();
            partial += m.bytesPartial() + m.result().bytes();
            slowest = Math.max(slowest, m.maxTrainNanos());
        }
        return new ReplicaMerge(merge(updates, true), n, bytes, partial, slowest);
    }

    /**
     * The merged state of {@code updates}, summed in the order given: weighted dense averages,
     * touch-weighted rows (ids ascending, touches summed), maximal step counts.
     *
     * @throws IllegalStateException if no update trained a row (nothing to average)
     * @throws IllegalArgumentException if the updates do not have the same layout
     */
    static ReplicaUpdate merge(List<ReplicaUpdate> updates) {
        return merge(updates, true);
    }

    /**
     * {@link #merge(List)}, or, when {@code updates} trained no row and {@code mustTrain} is false
     * (a group whose workers had no batches left), an update of weight 0 that passes on the first
     * update's dense values: they do not count in the next merge, whose weights are the rows.
     */
    private static ReplicaUpdate merge(List<ReplicaUpdate> updates, boolean mustTrain) {
        long weight = 0;
        long[] steps = null;
        double[] dense = null;
        Map<String, List<TouchedRows>> tables = new LinkedHashMap<>();
        for (ReplicaUpdate u : updates) {
            steps = max(steps, u.steps());
            if (u.weight() > 0) {
                float[] d = u.dense();
                if (dense == null) {
                    dense = new double[d.length];
                } else if (dense.length != d.length) {
                    throw new IllegalArgumentException(
                            "Updates of " + dense.length + " and " + d.length + " dense values");
                }
                double w = u.weight();
                for (int i = 0; i < d.length; i++) {
                    dense[i] += w * d[i];
                }
                weight += u.weight();
            }
            for (TouchedRows t : u.tables()) {
                tables.computeIfAbsent(t.table(), k -> new ArrayList<>()).add(t);
            }
        }
        float[] averaged;
        if (dense != null) {
            averaged = new float[dense.length];
            for (int i = 0; i < dense.length; i++) {
                averaged[i] = (float) (dense[i] / weight);
            }
        } else if (mustTrain || updates.isEmpty()) {
            throw new IllegalStateException("No worker trained a row in this round");
        } else {
            averaged = updates.get(0).dense();
        }
        List<TouchedRows> merged = new ArrayList<>();
        for (var e : tables.entrySet()) {
            merged.add(mergeRows(e.getKey(), e.getValue()));
        }
        return new ReplicaUpdate(weight, steps, averaged, merged);
    }

    /** One table's rows: the union of the ids, each row averaged over its touchers. */
    private static TouchedRows mergeRows(String table, List<TouchedRows> parts) {
        int width = parts.get(0).width();
        int total = 0;
        for (TouchedRows t : parts) {
            if (t.width() != width) {
                throw new IllegalArgumentException(
                        "Table '" + table + "' with rows of " + width + " and " + t.width());
            }
            total += t.size();
        }
        int[] all = new int[total];
        int at = 0;
        for (TouchedRows t : parts) {
            System.arraycopy(t.ids(), 0, all, at, t.size());
            at += t.size();
        }
        Arrays.sort(all);
        int n = 0;
        for (int i = 0; i < total; i++) {
            if (n == 0 || all[i] != all[n - 1]) {
                all[n++] = all[i];
            }
        }
        int[] ids = Arrays.copyOf(all, n);
        double[] sums = new double[n * width];
        long[] touches = new long[n];
        for (TouchedRows t : parts) {
            // both id lists ascend: walk them together
            int u = 0;
            for (int r = 0; r < t.size(); r++) {
                int id = t.ids()[r];
                while (ids[u] != id) {
                    u++;
                }
                double k = t.touches()[r];
                touches[u] += t.touches()[r];
                for (int c = 0; c < width; c++) {
                    sums[u * width + c] += k * t.values()[r * width + c];
                }
            }
        }
        float[] values = new float[n * width];
        int[] counts = new int[n];
        for (int u = 0; u < n; u++) {
            counts[u] = Math.toIntExact(touches[u]);
            for (int c = 0; c < width; c++) {
                values[u * width + c] = (float) (sums[u * width + c] / touches[u]);
            }
        }
        return new TouchedRows(table, width, ids, values, counts);
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
}
