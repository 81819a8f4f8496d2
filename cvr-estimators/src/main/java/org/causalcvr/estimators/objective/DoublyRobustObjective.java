package org.causalcvr.estimators.objective;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Rows;

/**
 * The doubly robust CVR loss (paper eqs. 6 and 10), term {@value Terms#CVR}:
 *
 * <pre>
 *   exposure-count:   E^DR = (1/|D|) Σ_D [ ê + o·(e − ê)/p̂ ]
 *   self-normalised:  E^DR = (1/|D|) Σ_D ê  +  Σ_D o·(e − ê)/p̂ / Σ_D o/p̂
 * </pre>
 *
 * with {@code e = CE(r, r̂)}, ê from the {@link Imputation} and p̂ from the (clipped) {@link
 * Propensity}. Its bias is (1/|D|) Σ_D Δ·δ with Δ = (p − p̂)/p̂ and δ = e − ê (eq. 7), so it is
 * unbiased when p̂ = p or ê = e (Theorem 2, eq. 11).
 *
 * <p>Gradients: this term trains the CVR tower. The imputation's own towers are detached here (an
 * imputation tower minimising E^DR would only learn to make ê large where o/p̂ &lt; 1); they are
 * trained by {@link ImputationLossObjective}. An ê that depends on r̂ (a pseudo-label, or Heuristic
 * DR's η) passes gradients into r̂: that is how such estimators train the CVR tower on unclicked
 * rows. Whether gradients reach p̂ is the propensity's choice.
 */
public final class DoublyRobustObjective implements Objective {
    private final Propensity propensity;
    private final Imputation imputation;
    private final Normalisation normalisation;

    public DoublyRobustObjective(
            Propensity propensity, Imputation imputation, Normalisation normalisation) {
        this.propensity = Objects.requireNonNull(propensity);
        this.imputation = Objects.requireNonNull(imputation);
        this.normalisation = Objects.requireNonNull(normalisation);
    }

    public Propensity propensity() {
        return propensity;
    }

    public Imputation imputation() {
        return imputation;
    }

    public Normalisation normalisation() {
        return normalisation;
    }

    @Override
    public String name() {
        return normalisation == Normalisation.SELF_NORMALISED ? "self-normalised-dr" : "dr";
    }

    @Override
    public Set<String> towers() {
        var towers = new HashSet<>(propensity.towers());
        towers.addAll(imputation.towers());
        towers.add(TowerNames.CVR);
        return Set.copyOf(towers);
    }

    /**
     * The CVR tower enters through o·(e − ê)/p̂ only, exactly 0 on an unclicked row, unless ê reads
     * it too (a pseudo-label, Heuristic DR): then {@link TowerRowUse#CLICKED_ROWS_ONLY}, else
     * {@link TowerRowUse#ALL_ROWS}. The imputation's own towers are read on every row (the mean of
     * ê) but detached: {@link TowerRowUse#GRADIENT_ON_CLICKED_ROWS_ONLY}. The propensity's towers:
     * {@link TowerRowUse#ALL_ROWS}.
     */
    @Override
    public TowerRowUse rowUse(String tower) {
        if (propensity.towers().contains(tower)) {
            return TowerRowUse.ALL_ROWS;
        }
        if (tower.equals(TowerNames.CVR)) {
            return imputation.towers().contains(TowerNames.CVR)
                    ? TowerRowUse.ALL_ROWS
                    : TowerRowUse.CLICKED_ROWS_ONLY;
        }
        return imputation.towers().contains(tower)
                ? TowerRowUse.GRADIENT_ON_CLICKED_ROWS_ONLY
                : TowerRowUse.ALL_ROWS;
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T predicted = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T error = CrossEntropy.perRow(ops, input.conversions(), predicted);
        // Everything but the CVR tower and the propensity's towers is detached for ê.
        var keep = new HashSet<>(propensity.towers());
        keep.add(TowerNames.CVR);
        ObjectiveInput<T> forImputation = Rows.detachExcept(ops, input, keep);
        T imputed = imputation.imputedError(ops, forImputation, error);
        T weight = InverseWeights.of(ops, propensity.propensity(ops, input), name(), Terms.CVR);
        T clickWeight = ops.mul(input.clicks(), weight);
        T correction = ops.mul(clickWeight, ops.sub(error, imputed));
        T value =
                normalisation == Normalisation.SELF_NORMALISED
                        ? ops.add(
                                Rows.mean(ops, input, imputed),
                                Rows.ratio(
                                        ops,
                                        Rows.sum(ops, input, correction),
                                        Rows.sum(ops, input, clickWeight)))
                        : Rows.mean(ops, input, ops.add(imputed, correction));
        return LossTerms.single(Terms.CVR, value);
    }
}
