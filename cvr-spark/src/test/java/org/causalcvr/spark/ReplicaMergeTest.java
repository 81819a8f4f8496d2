package org.causalcvr.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.causalcvr.api.parallel.ReplicaUpdate;
import org.causalcvr.api.parallel.TouchedRows;
import org.junit.jupiter.api.Test;

/** The merge rule of data-parallel training, on hand-made worker updates. */
class ReplicaMergeTest {
    private static ReplicaUpdate update(long weight, long steps, float[] dense, TouchedRows... t) {
        return new ReplicaUpdate(weight, new long[] {steps}, dense, List.of(t));
    }

    private static TouchedRows rows(int[] ids, float[] values, int[] touches) {
        return new TouchedRows("shared", 2, ids, values, touches);
    }

    @Test
    void denseValuesAreAveragedWeightedByRowsTrained() {
        var a = update(100, 5, new float[] {1f, 10f});
        var b = update(300, 7, new float[] {5f, -2f});
        ReplicaUpdate m = ReplicaMerge.merge(List.of(a, b));
        // (100·1 + 300·5) / 400 = 4; (100·10 + 300·(−2)) / 400 = 1
        assertThat(m.dense()).containsExactly(4f, 1f);
        assertThat(m.weight()).isEqualTo(400);
        assertThat(m.steps()).containsExactly(7);
    }

    @Test
    void aWorkerWithoutRowsDoesNotCountInTheDenseAverage() {
        var a = update(200, 5, new float[] {2f});
        var idle = update(0, 5, new float[] {1000f});
        assertThat(ReplicaMerge.merge(List.of(a, idle)).dense()).containsExactly(2f);
    }

    @Test
    void touchedRowsAreAveragedOverTheirTouchersWeightedByTouches() {
        // worker a touched rows 3 (once) and 8 (three times); worker b touched 8 once and 12
        var a =
                update(
                        10,
                        1,
                        new float[] {0f},
                        rows(new int[] {3, 8}, new float[] {1f, 2f, 4f, 4f}, new int[] {1, 3}));
        var b =
                update(
                        10,
                        1,
                        new float[] {0f},
                        rows(new int[] {8, 12}, new float[] {8f, 0f, 7f, 7f}, new int[] {1, 2}));
        ReplicaUpdate m = ReplicaMerge.merge(List.of(a, b));
        TouchedRows t = m.tables().get(0);
        assertThat(t.ids()).containsExactly(3, 8, 12);
        assertThat(t.values())
                .containsExactly(
                        1f, 2f, // row 3: a's alone (b's stale copy does not shrink it)
                        5f, 3f, // row 8: (3·(4, 4) + 1·(8, 0)) / 4
                        7f, 7f); // row 12: b's alone
        assertThat(t.touches()).containsExactly(1, 4, 2);
    }

    @Test
    void rowsNoWorkerTouchedAreNotInTheMergeSoEveryReplicaKeepsThem() {
        var a =
                update(
                        1,
                        1,
                        new float[] {0f},
                        rows(new int[] {5}, new float[] {1f, 1f}, new int[] {1}));
        TouchedRows t = ReplicaMerge.merge(List.of(a)).tables().get(0);
        assertThat(t.ids()).containsExactly(5);
    }

    @Test
    void mergingPartialMergesGivesTheFlatMergeToFloatRounding() {
        float[][] values = {{0.1f, 1e-7f}, {3.3f, -2.1f}, {1e6f, 0.7f}, {-0.33f, 5e-3f}};
        long[] weights = {256, 255, 256, 17};
        var workers = new ArrayList<ParallelWorkers.WorkerResult>();
        for (int i = 0; i < 4; i++) {
            var u =
                    update(
                            weights[i],
                            i,
                            values[i],
                            rows(
                                    new int[] {1, 2 + i},
                                    concat(values[i], values[i]),
                                    new int[] {i + 1, 1}));
            workers.add(new ParallelWorkers.WorkerResult(i, u, 10L * i));
        }
        ReplicaMerge flat = ReplicaMerge.ofWorkers(workers);
        // groups w mod 2, as a round of 4 workers merges them
        ReplicaMerge even = ReplicaMerge.ofWorkers(List.of(workers.get(0), workers.get(2)));
        ReplicaMerge odd = ReplicaMerge.ofWorkers(List.of(workers.get(1), workers.get(3)));
        ReplicaMerge tree = ReplicaMerge.ofPartials(List.of(even, odd));
        ReplicaUpdate a = flat.result();
        ReplicaUpdate b = tree.result();
        assertThat(b.weight()).isEqualTo(a.weight()).isEqualTo(784);
        assertThat(b.steps()).containsExactly(3);
        for (int i = 0; i < a.dense().length; i++) {
            assertThat(b.dense()[i]).isCloseTo(a.dense()[i], withinPercentage(1e-4));
        }
        TouchedRows ta = a.tables().get(0);
        TouchedRows tb = b.tables().get(0);
        assertThat(tb.ids()).containsExactly(ta.ids()).containsExactly(1, 2, 3, 4, 5);
        assertThat(tb.touches()).containsExactly(ta.touches()).containsExactly(10, 1, 1, 1, 1);
        for (int i = 0; i < ta.values().length; i++) {
            assertThat(tb.values()[i]).isCloseTo(ta.values()[i], withinPercentage(1e-4));
        }
        // (256·0.1 + 255·3.3 + 256·1e6 + 17·(−0.33)) / 784
        assertThat((double) a.dense()[0])
                .isCloseTo((25.6 + 841.5 + 2.56e8 - 5.61) / 784, withinPercentage(1e-5));
        // what each hop carried, and the slowest worker
        assertThat(tree.updates()).isEqualTo(4);
        assertThat(tree.bytesUp()).isEqualTo(flat.bytesUp());
        assertThat(flat.bytesUp())
                .isEqualTo(workers.stream().mapToLong(w -> w.update().bytes()).sum());
        assertThat(flat.bytesPartial()).isZero();
        // each partial: 8 (weight) + 8 (one step count) + 4·2 dense + 3 rows of 4·(2 + 2)
        assertThat(even.result().bytes()).isEqualTo(72);
        assertThat(tree.bytesPartial()).isEqualTo(144);
        assertThat(tree.maxTrainNanos()).isEqualTo(30);
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aGroupWhoseWorkersHadNoBatchesLeftDoesNotCount() {
        // last round of 3 workers in 2 groups: workers 1 (group 1) and 2 (group 0) ran out of rows
        var trained = new ParallelWorkers.WorkerResult(0, update(300, 9, new float[] {2f}), 5);
        var idle1 = new ParallelWorkers.WorkerResult(1, update(0, 8, new float[] {7f}), 0);
        var idle2 = new ParallelWorkers.WorkerResult(2, update(0, 8, new float[] {7f}), 0);
        ReplicaMerge idleGroup = ReplicaMerge.ofWorkers(List.of(idle1));
        assertThat(idleGroup.result().weight()).isZero();
        ReplicaMerge merged =
                ReplicaMerge.ofPartials(
                        List.of(ReplicaMerge.ofWorkers(List.of(trained, idle2)), idleGroup));
        assertThat(merged.result().dense()).containsExactly(2f);
        assertThat(merged.result().weight()).isEqualTo(300);
        assertThat(merged.result().steps()).containsExactly(9);
        assertThat(merged.updates()).isEqualTo(3);
        assertThatThrownBy(() -> ReplicaMerge.ofPartials(List.of(idleGroup)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void nothingToMergeIsAnError() {
        assertThatThrownBy(() -> ReplicaMerge.merge(List.of(update(0, 1, new float[] {1f}))))
                .isInstanceOf(IllegalStateException.class);
    }
}
