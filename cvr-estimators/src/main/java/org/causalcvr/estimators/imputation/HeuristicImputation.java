package org.causalcvr.estimators.imputation;

import java.util.Set;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.objective.CrossEntropy;

/**
 * Heuristic DR's imputation (section 5.2.2): every exposure's label is taken as positive with
 * probability η, so its imputed error is the expected loss of r̂ against that label,
 *
 * <pre>
 *   ê = CE(η, r̂) = −η·log r̂ − (1 − η)·log(1 − r̂)
 * </pre>
 *
 * It reads the CVR tower and has no parameters of its own.
 */
public final class HeuristicImputation implements Imputation {
    private final double eta;

    /**
     * @param eta η in (0, 1)
     */
    public HeuristicImputation(double eta) {
        if (!(eta > 0 && eta < 1)) {
            throw new IllegalArgumentException("eta " + eta + " is outside (0, 1)");
        }
        this.eta = eta;
    }

    public double eta() {
        return eta;
    }

    @Override
    public String name() {
        return "heuristic";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CVR);
    }

    @Override
    public <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T predictionError) {
        T predicted = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        return CrossEntropy.perRow(ops, ops.full(predicted, eta), predicted);
    }
}
