package org.causalcvr.estimators.extra.objective;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.extra.propensity.NonClickPropensity;
import org.causalcvr.estimators.kit.Rows;
import org.causalcvr.estimators.objective.CrossEntropy;
import org.causalcvr.estimators.objective.InverseWeights;

/**
 * The balancing loss of IPS-V2 and DR-V2 (Li et al., ICML 2023, "Propensity Matters: Measuring and
 * Enhancing Balancing for Recommendation", the balancing term added to the propensity model's
 * loss), term {@value #TERM}:
 *
 * <pre>
 *   balance = ( (1/|D|) Σ_D (o/clip(p̂) − (1 − o)/clip(1 − p̂)) · r̂ )²,     total = γ · balance
 * </pre>
 *
 * With the true propensity the inner mean has expectation 0 for any function of the features; the
 * prediction r̂ is the balancing function, so the term asks the propensity to balance the clicked
 * and unclicked rows with respect to what the CVR model predicts. Its purpose is to train the
 * propensity: p̂ is <em>attached</em> here whatever {@code propensity-gradient} says for the IPW
 * weight, and r̂ is detached (a fixed balancing function, not a target for the CVR tower).
 */
public final class BalancingObjective implements Objective {
    /** The term's name. */
    public static final String TERM = "balance";

    private final Propensity propensity;
    private final NonClickPropensity nonClick;
    private final double weight;

    /**
     * @param propensity p̂ with gradients attached
     * @param nonClick 1 − p̂ with gradients attached
     * @param weight γ, finite and at least 0
     */
    public BalancingObjective(Propensity propensity, NonClickPropensity nonClick, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException(
                    "balance weight " + weight + " is outside [0, +inf)");
        }
        this.propensity = Objects.requireNonNull(propensity);
        this.nonClick = Objects.requireNonNull(nonClick);
        this.weight = weight;
    }

    public double weight() {
        return weight;
    }

    @Override
    public String name() {
        return "balancing";
    }

    @Override
    public Set<String> towers() {
        var towers = new HashSet<>(propensity.towers());
        towers.addAll(nonClick.towers());
        towers.add(TowerNames.CVR);
        return Set.copyOf(towers);
    }

    /**
     * r̂ is a detached balancing function read on every row: the CVR tower is {@link
     * TowerRowUse#GRADIENT_ON_CLICKED_ROWS_ONLY} (its gradient here is 0 on every row). The
     * propensity's towers: {@link TowerRowUse#ALL_ROWS}.
     */
    @Override
    public TowerRowUse rowUse(String tower) {
        boolean propensityTower =
                propensity.towers().contains(tower) || nonClick.towers().contains(tower);
        return tower.equals(TowerNames.CVR) && !propensityTower
                ? TowerRowUse.GRADIENT_ON_CLICKED_ROWS_ONLY
                : TowerRowUse.ALL_ROWS;
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T clicks = input.clicks();
        T balancing =
                ops.detach(CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR)));
        T clickWeight =
                ops.mul(
                        clicks,
                        InverseWeights.of(ops, propensity.propensity(ops, input), name(), TERM));
        T nonClickWeight =
                ops.mul(
                        ops.oneMinus(clicks),
                        InverseWeights.ofNonClick(
                                ops, nonClick.propensity(ops, input), name(), TERM));
        T imbalance =
                Rows.mean(ops, input, ops.mul(ops.sub(clickWeight, nonClickWeight), balancing));
        T value = ops.square(imbalance);
        return new LossTerms<>(ops.mulScalar(value, weight), java.util.Map.of(TERM, value));
    }
}
