package org.causalcvr.estimators.objective;

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
import org.causalcvr.estimators.kit.Rows;

/**
 * The inverse-propensity-weighted CVR loss (paper eqs. 4 and 8), term {@value Terms#CVR}:
 *
 * <pre>
 *   exposure-count:   E^IPW   = (1/|D|) Σ_D o·e / p̂
 *   self-normalised:  E^SNIPS = Σ_D o·e / p̂  /  Σ_D o / p̂
 * </pre>
 *
 * with {@code e = CE(r, r̂)} and p̂ the (clipped) {@link Propensity}. Theorem 1 (eqs. 5, 9): with
 * p̂ = p the exposure-count form is unbiased for P = (1/|D|) Σ_D e. Clipping p̂ from below at τ
 * biases it downwards by (1/|D|) Σ_{p<τ} (1 − p/τ)·e. SNIPS is biased for a finite batch but
 * consistent.
 *
 * <p>Whether gradients flow from the weight into p̂ is the propensity's choice ({@link
 * org.causalcvr.estimators.propensity.CtrTowerPropensity}). A propensity of 0 or NaN throws (see
 * {@link InverseWeights}).
 */
public final class InversePropensityObjective implements Objective {
    private final Propensity propensity;
    private final Normalisation normalisation;

    public InversePropensityObjective(Propensity propensity, Normalisation normalisation) {
        this.propensity = Objects.requireNonNull(propensity);
        this.normalisation = Objects.requireNonNull(normalisation);
    }

    public Propensity propensity() {
        return propensity;
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    @Override
    public String name() {
        return normalisation == Normalisation.SELF_NORMALISED ? "snips" : "ipw";
    }

    @Override
    public Set<String> towers() {
        var towers = new HashSet<>(propensity.towers());
        towers.add(TowerNames.CVR);
        return Set.copyOf(towers);
    }

    /**
     * The CVR tower enters only through o·e/p̂, exactly 0 on an unclicked row: {@link
     * TowerRowUse#CLICKED_ROWS_ONLY}. The propensity's towers: {@link TowerRowUse#ALL_ROWS} (its
     * clipping reads batch statistics of every row).
     */
    @Override
    public TowerRowUse rowUse(String tower) {
        return tower.equals(TowerNames.CVR) && !propensity.towers().contains(tower)
                ? TowerRowUse.CLICKED_ROWS_ONLY
                : TowerRowUse.ALL_ROWS;
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T predicted = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T error = CrossEntropy.perRow(ops, input.conversions(), predicted);
        T weight = InverseWeights.of(ops, propensity.propensity(ops, input), name(), Terms.CVR);
        T clickWeight = ops.mul(input.clicks(), weight);
        T weightedError = ops.mul(clickWeight, error);
        T value =
                normalisation == Normalisation.SELF_NORMALISED
                        ? Rows.ratio(
                                ops,
                                Rows.sum(ops, input, weightedError),
                                Rows.sum(ops, input, clickWeight))
                        : Rows.mean(ops, input, weightedError);
        return LossTerms.single(Terms.CVR, value);
    }
}
