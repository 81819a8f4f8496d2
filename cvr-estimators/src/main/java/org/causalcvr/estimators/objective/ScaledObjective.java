package org.causalcvr.estimators.objective;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;

/**
 * An objective whose total enters the loss multiplied by a weight w ≥ 0, while its terms are
 * reported unweighted, so the {@code cvr} term of a weighted DR loss is still the estimate of P.
 */
public final class ScaledObjective implements Objective {
    private final Objective objective;
    private final double weight;

    /**
     * @param weight w, finite and at least 0
     */
    public ScaledObjective(Objective objective, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException(
                    "weight "
                            + weight
                            + " of objective "
                            + objective.name()
                            + " outside [0, +inf)");
        }
        this.objective = Objects.requireNonNull(objective);
        this.weight = weight;
    }

    public Objective objective() {
        return objective;
    }

    public double weight() {
        return weight;
    }

    @Override
    public String name() {
        return objective.name();
    }

    @Override
    public Set<String> towers() {
        return objective.towers();
    }

    /** The scaled objective's own: a factor changes no row's part in the loss. */
    @Override
    public TowerRowUse rowUse(String tower) {
        return objective.rowUse(tower);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        LossTerms<T> loss = objective.loss(ops, input);
        return new LossTerms<>(ops.mulScalar(loss.total(), weight), loss.terms());
    }
}
