package org.causalcvr.estimators.imputation;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.objective.CrossEntropy;

/**
 * ê from the imputation tower (Multi-DR, Joint Learning DR), whose logit z is read as the {@link
 * ImputationTarget}:
 *
 * <ul>
 *   <li>{@code error}: ê = softplus(z) = max(z, 0) + log(1 + e^−|z|), finite and non-negative for
 *       every finite z;
 *   <li>{@code pseudo-label}: ê = CE(sigmoid(z), r̂).
 * </ul>
 *
 * The tower is trained by {@link org.causalcvr.estimators.objective.ImputationLossObjective}.
 */
public final class ImputationTowerImputation implements Imputation {
    private final ImputationTarget target;

    public ImputationTowerImputation(ImputationTarget target) {
        this.target = Objects.requireNonNull(target);
    }

    public ImputationTarget target() {
        return target;
    }

    @Override
    public String name() {
        return target == ImputationTarget.ERROR
                ? "imputation-tower"
                : "imputation-tower-pseudo-label";
    }

    @Override
    public Set<String> towers() {
        return target == ImputationTarget.ERROR
                ? Set.of(TowerNames.IMPUTATION)
                : Set.of(TowerNames.IMPUTATION, TowerNames.CVR);
    }

    @Override
    public <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T predictionError) {
        T logits = input.outputs().get(TowerNames.IMPUTATION);
        if (target == ImputationTarget.ERROR) {
            return softplus(ops, logits);
        }
        T pseudoLabel = ops.sigmoid(logits);
        T predicted = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        return CrossEntropy.perRow(ops, pseudoLabel, predicted);
    }

    /**
     * {@code log(1 + e^z)}, computed as {@code max(z, 0) + log(1 + e^−|z|)} so it never overflows.
     */
    public static <T> T softplus(Ops<T> ops, T z) {
        T absolute = ops.abs(z);
        T positivePart = ops.mulScalar(ops.add(z, absolute), 0.5);
        return ops.add(positivePart, ops.log(ops.addScalar(ops.exp(ops.neg(absolute)), 1.0)));
    }

    /**
     * The logit whose {@code error} reading is ê, the inverse of softplus: {@code z = ê + log(1 −
     * e^−ê)}; for tests and for initialising the tower's bias.
     *
     * @param imputedError ê &gt; 0
     */
    public static double logitForError(double imputedError) {
        if (!(imputedError > 0) || Double.isInfinite(imputedError)) {
            throw new IllegalArgumentException(
                    "imputed error " + imputedError + " is outside (0, +inf)");
        }
        return imputedError + Math.log(-Math.expm1(-imputedError));
    }
}
