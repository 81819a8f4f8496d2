package org.causalcvr.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        ReplicaUpdate m = new ReplicaMerge().add(a, 0).add(b, 0).result();
        // (100·1 + 300·5) / 400 = 4; (100·10 + 300·(−2)) / 400 = 1
        assertThat(m.dense()).containsExactly(4f, 1f);
        assertThat(m.weight()).isEqualTo(400);
        assertThat(m.steps()).containsExactly(7);
    }

    @Test
    void aWorkerWithoutRowsDoesNotCountInTheDenseAverage() {
        var a = update(200, 5, new float[] {2f});
        var idle = update(0, 5, new float[] {1000f});
        assertThat(new ReplicaMerge().add(a, 0).add(idle, 0).result().dense()).containsExactly(2f);
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
        ReplicaUpdate m = new ReplicaMerge().add(a, 0).add(b, 0).result();
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
        TouchedRows t = new ReplicaMerge().add(a, 0).result().tables().get(0);
        assertThat(t.ids()).containsExactly(5);
    }

    @Test
    void theMergeDoesNotDependOnTheOrderSparkCombinesIn() {
        float[][] values = {{0.1f, 1e-7f}, {3.3f, -2.1f}, {1e6f, 0.7f}, {-0.33f, 5e-3f}};
        long[] weights = {256, 255, 256, 17};
        ReplicaUpdate[] u = new ReplicaUpdate[4];
        for (int i = 0; i < 4; i++) {
            u[i] =
                    update(
                            weights[i],
                            i,
                            values[i],
                            rows(new int[] {1}, values[i].clone(), new int[] {i + 1}));
        }
        ReplicaUpdate inOrder =
                new ReplicaMerge().add(u[0], 0).add(u[1], 0).add(u[2], 0).add(u[3], 0).result();
        ReplicaUpdate paired =
                new ReplicaMerge()
                        .add(u[3], 0)
                        .add(u[1], 0)
                        .combine(new ReplicaMerge().add(u[2], 0).add(u[0], 0))
                        .result();
        assertThat(paired).isEqualTo(inOrder);
    }

    @Test
    void nothingToMergeIsAnError() {
        assertThatThrownBy(() -> new ReplicaMerge().add(update(0, 1, new float[] {1f}), 0).result())
                .isInstanceOf(IllegalStateException.class);
    }
}
