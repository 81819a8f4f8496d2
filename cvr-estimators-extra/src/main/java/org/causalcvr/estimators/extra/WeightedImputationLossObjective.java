package org.causalcvr.estimators.extra;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.objective.CrossEntropy;
import org.causalcvr.estimators.objective.InverseWeights;
import org.causalcvr.estimators.objective.Rows;
import org.causalcvr.estimators.objective.Terms;

/**
 * An imputation model's loss with a chosen weighting, term {@value Terms#IMPUTATION}:
 *
 * <pre>
 *   E^Imp = (1/|D|) Σ_D o · w(p̂) · (e − ê)²
 * </pre>
 *
 * with w from {@link ImputationWeighting}: 1/p̂ (DR), (1 − p̂)/p̂² (MRDR), (1 − p̂)²/p̂³ (DR-BIAS)
 * or their mix (DR-MSE). As in {@link org.causalcvr.estimators.objective.ImputationLossObjective}
 * (which is the 1/p̂ case), only the imputation's own towers receive gradients: e, r̂ and p̂ are
 * detached. The weighting changes which ê is fitted, never the DR estimate's form, so every
 * weighting keeps DR doubly robust.
 */
public final class WeightedImputationLossObjective implements Objective {
    private final Propensity propensity;
    private final Imputation imputation;
    private final ImputationWeighting weighting;

    public WeightedImputationLossObjective(
            Propensity propensity, Imputation imputation, ImputationWeighting weighting) {
        this.propensity = Objects.requireNonNull(propensity);
        this.imputation = Objects.requireNonNull(imputation);
        this.weighting = Objects.requireNonNull(weighting);
    }

    public ImputationWeighting weighting() {
        return weighting;
    }

    @Override
    public String name() {
        return weighting.name() + "-imputation";
    }

    @Override
    public Set<String> towers() {
        var towers = new HashSet<>(propensity.towers());
        towers.addAll(imputation.towers());
        towers.add(TowerNames.CVR);
        return Set.copyOf(towers);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        var keep = new HashSet<>(imputation.towers());
        keep.remove(TowerNames.CVR);
        keep.remove(TowerNames.CTR);
        ObjectiveInput<T> frozen = Rows.detachExcept(ops, input, keep);
        T predicted = CrossEntropy.probability(ops, frozen.outputs().get(TowerNames.CVR));
        T error = CrossEntropy.perRow(ops, input.conversions(), predicted);
        T imputed = imputation.imputedError(ops, frozen, error);
        T inverse =
                InverseWeights.of(
                        ops,
                        ops.detach(propensity.propensity(ops, frozen)),
                        name(),
                        Terms.IMPUTATION);
        T weight = ops.mul(input.clicks(), weighting.weight(ops, inverse));
        T squared = ops.square(ops.sub(error, imputed));
        return LossTerms.single(Terms.IMPUTATION, Rows.mean(ops, input, ops.mul(weight, squared)));
    }
}
