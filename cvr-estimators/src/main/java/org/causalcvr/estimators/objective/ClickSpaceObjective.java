package org.causalcvr.estimators.objective;

import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Rows;

/**
 * The naive click-space loss (paper eq. 2), optionally with converted rows over-sampled k times:
 *
 * <pre>
 *   E = Σ_D o·c·CE(r, r̂) / Σ_D o·c,    c = 1 + (k − 1)·r
 * </pre>
 *
 * <p>With {@code k = 1} this is {@code E^obs = (1/|O|) Σ_O CE(r, r̂)}, the Base model; with {@code
 * k > 1} it is the mean over the click set in which every conversion appears k times (the
 * Oversampling baseline of section 5.2.1, k = 5 in the paper). Biased whenever clicks correlate
 * with conversions: the click set is not a random sample of the exposures. A batch without clicks
 * gives 0. Term {@value Terms#CVR}.
 */
public final class ClickSpaceObjective implements Objective {
    private final double positiveWeight;

    /**
     * @param positiveWeight k ≥ 1, the number of copies of each converted click
     */
    public ClickSpaceObjective(double positiveWeight) {
        if (!(positiveWeight >= 1) || Double.isInfinite(positiveWeight)) {
            throw new IllegalArgumentException(
                    "positive weight " + positiveWeight + " is outside [1, +inf)");
        }
        this.positiveWeight = positiveWeight;
    }

    public double positiveWeight() {
        return positiveWeight;
    }

    @Override
    public String name() {
        return positiveWeight == 1.0 ? "click-space" : "oversampled-click-space";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CVR);
    }

    /** Every row's part is weighted by o: {@link TowerRowUse#CLICKED_ROWS_ONLY}. */
    @Override
    public TowerRowUse rowUse(String tower) {
        return TowerRowUse.CLICKED_ROWS_ONLY;
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T conversions = input.conversions();
        T predicted = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T error = CrossEntropy.perRow(ops, conversions, predicted);
        T copies = ops.addScalar(ops.mulScalar(conversions, positiveWeight - 1.0), 1.0);
        T rowWeight = ops.mul(input.clicks(), copies);
        T value =
                Rows.ratio(
                        ops,
                        Rows.sum(ops, input, ops.mul(rowWeight, error)),
                        Rows.sum(ops, input, rowWeight));
        return LossTerms.single(Terms.CVR, value);
    }
}
