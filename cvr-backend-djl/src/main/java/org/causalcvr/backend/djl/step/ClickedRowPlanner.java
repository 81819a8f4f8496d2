package org.causalcvr.backend.djl.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.IntBuffer;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.backend.djl.data.HostBatch;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.Dropout;
import org.causalcvr.backend.djl.model.Network;

/**
 * Runs each tower on the rows its objective declares it needs ({@link
 * org.causalcvr.api.estimator.Objective#rowUse}), with the same loss and gradients as a full pass.
 *
 * <p>At Ali-CCP's click rate about 4% of the rows are clicked: a {@link
 * TowerRowUse#CLICKED_ROWS_ONLY} tower (Multi-IPW's and Multi-DR's CVR tower, read only through
 * o·e) runs forward and backward on those rows alone, and a {@link
 * TowerRowUse#GRADIENT_ON_CLICKED_ROWS_ONLY} tower (Multi-DR's imputation tower) runs forward on
 * every row without recording and again, recorded, on the clicked rows, so that its backward pass
 * covers the clicked rows only. The declaration is trusted; the test kit checks it.
 *
 * <p>A batch whose rows are all clicked or all unclicked saves nothing, so then every tower runs on
 * every row. Not thread-safe: one planner per training run.
 */
public final class ClickedRowPlanner {
    private final boolean enabled;
    private int[] clickedRows = new int[0];
    private int[] rowSlots = new int[0];
    private int[] mixedSlots = new int[0];
    private int rows;

    /**
     * @param enabled false runs every tower on every row (the {@code clicked-row-savings} key)
     */
    public ClickedRowPlanner(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Indexes {@code batch}'s clicked rows and each row's place among them ({@code clicked} for an
     * unclicked row), for the forward passes of this batch.
     */
    public void plan(HostBatch batch) {
        int n = batch.size;
        rows = n;
        clickedRows = new int[0];
        if (!enabled) {
            return;
        }
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (batch.clicks[i] != 0) {
                c++;
            }
        }
        if (c == 0 || c == n) {
            return;
        }
        clickedRows = new int[c];
        if (rowSlots.length < n) {
            rowSlots = new int[n];
        }
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (batch.clicks[i] != 0) {
                clickedRows[j] = i;
                rowSlots[i] = j++;
            } else {
                rowSlots[i] = c;
            }
        }
    }

    /** The batch's logits of {@code tower}, shape (n), computed on the rows {@code use} needs. */
    public NDArray forward(
            DenseTower tower, NDArray input, boolean trainable, TowerRowUse use, NDManager sm) {
        return forward(tower, input, trainable, use, null, sm);
    }

    /**
     * As {@link #forward(DenseTower, NDArray, boolean, TowerRowUse, NDManager)}, with {@code
     * dropout} (null: none) on the tower's hidden units; each row draws the mask of its place in
     * the whole batch, whichever rows the tower runs on.
     */
    public NDArray forward(
            DenseTower tower,
            NDArray input,
            boolean trainable,
            TowerRowUse use,
            Dropout dropout,
            NDManager sm) {
        if (clickedRows.length == 0 || use == TowerRowUse.ALL_ROWS) {
            return tower.forward(input, trainable, dropout, null, sm);
        }
        return use == TowerRowUse.CLICKED_ROWS_ONLY
                ? clickedRowsForward(tower, input, trainable, dropout, sm)
                : gradientOnClickedForward(tower, input, trainable, dropout, sm);
    }

    /**
     * The tower runs on the clicked rows, and the unclicked rows read 0 (the objective declared it
     * multiplies them by o = 0). Both moves are embedding lookups, so gradients flow back to the
     * clicked rows' inputs exactly.
     */
    private NDArray clickedRowsForward(
            DenseTower tower, NDArray input, boolean trainable, Dropout dropout, NDManager sm) {
        int c = clickedRows.length;
        int n = rows;
        NDArray pick = sm.create(clickedRows, new Shape(c));
        NDArray logits =
                tower.forward(Network.embed(pick, input), trainable, dropout, clickedRows, sm)
                        .reshape(c, 1);
        NDArray padded = NDArrays.concat(new NDList(logits, sm.zeros(new Shape(1, 1))), 0);
        NDArray slots = sm.create(IntBuffer.wrap(rowSlots, 0, n), new Shape(n));
        return Network.embed(slots, padded).reshape(n);
    }

    /**
     * Every row's value from a forward pass that records nothing, and the clicked rows' again from
     * a recorded pass, so that the backward pass (two thirds of a tower's work) covers only the
     * clicked rows. The loss and the gradients are those of a full recorded pass.
     */
    private NDArray gradientOnClickedForward(
            DenseTower tower, NDArray input, boolean trainable, Dropout dropout, NDManager sm) {
        int c = clickedRows.length;
        int n = rows;
        NDArray all = tower.forward(input.stopGradient(), false, dropout, null, sm).reshape(n, 1);
        NDArray pick = sm.create(clickedRows, new Shape(c));
        NDArray clicked =
                tower.forward(Network.embed(pick, input), trainable, dropout, clickedRows, sm)
                        .reshape(c, 1);
        NDArray values = NDArrays.concat(new NDList(clicked, all), 0);
        if (mixedSlots.length < n) {
            mixedSlots = new int[n];
        }
        for (int i = 0; i < n; i++) {
            mixedSlots[i] = rowSlots[i] < c ? rowSlots[i] : c + i;
        }
        NDArray slots = sm.create(IntBuffer.wrap(mixedSlots, 0, n), new Shape(n));
        return Network.embed(slots, values).reshape(n);
    }
}
