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
import org.causalcvr.api.ops.Ops;

/**
 * The imputation model's loss (Wang et al. 2019, as used by Joint Learning DR and Multi-DR), term
 * {@value Terms#IMPUTATION}:
 *
 * <pre>
 *   E^Imp = (1/|D|) Σ_D o·(e − ê)² / p̂
 * </pre>
 *
 * an inverse-propensity-weighted squared error, so that ê is fitted to e as if on the whole
 * exposure space. Only the imputation's own towers receive gradients: e, r̂ and p̂ are detached. An
 * L2 penalty on the imputation tower (the paper's 10⁻⁴) is the tower's {@code l2}, applied by the
 * backend.
 */
public final class ImputationLossObjective implements Objective {
    private final Propensity propensity;
    private final Imputation imputation;

    public ImputationLossObjective(Propensity propensity, Imputation imputation) {
        this.propensity = Objects.requireNonNull(propensity);
        this.imputation = Objects.requireNonNull(imputation);
    }

    @Override
    public String name() {
        return "imputation";
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
        // Every tower but the imputation's own is detached, so e, r̂ (which a pseudo-label's
        // CE reads) and p̂ are constants here.
        ObjectiveInput<T> frozen = Rows.detachExcept(ops, input, imputationOnly());
        T predicted = CrossEntropy.probability(ops, frozen.outputs().get(TowerNames.CVR));
        T error = CrossEntropy.perRow(ops, input.conversions(), predicted);
        T imputed = imputation.imputedError(ops, frozen, error);
        T weight =
                InverseWeights.of(
                        ops, propensity.propensity(ops, frozen), name(), Terms.IMPUTATION);
        T squared = ops.square(ops.sub(error, imputed));
        T value = Rows.mean(ops, input, ops.mul(ops.mul(input.clicks(), weight), squared));
        return LossTerms.single(Terms.IMPUTATION, value);
    }

    private Set<String> imputationOnly() {
        var keep = new HashSet<>(imputation.towers());
        keep.remove(TowerNames.CVR);
        keep.remove(TowerNames.CTR);
        return keep;
    }
}
