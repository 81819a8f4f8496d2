package org.causalcvr.estimators.propensity;

import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerRowUse;

/**
 * Which rows an objective needs a propensity's towers on, when it reads p̂ only through the weights
 * o/p̂ of the clicked rows (IPW, DR's correction, the imputation loss).
 *
 * <p>A CTR-tower propensity clipped without the batch-relative bound ({@code ipw-bound-pct} = 0)
 * gives every row a p̂ of that row's logit alone, so the unclicked rows' logits change nothing:
 * {@link TowerRowUse#CLICKED_ROWS_ONLY}. With the batch-relative bound, the clamp reads the batch's
 * smallest and mean p̂ over every row: {@link TowerRowUse#ALL_ROWS}. So does any other propensity,
 * whose reading is not known here.
 */
public final class PropensityRowUse {
    private PropensityRowUse() {}

    /** The row use of {@code propensity}'s towers through clicked rows' weights. */
    public static TowerRowUse throughClickedWeights(Propensity propensity) {
        return propensity instanceof CtrTowerPropensity tower
                        && tower.clipping().boundPercent() == 0
                ? TowerRowUse.CLICKED_ROWS_ONLY
                : TowerRowUse.ALL_ROWS;
    }
}
