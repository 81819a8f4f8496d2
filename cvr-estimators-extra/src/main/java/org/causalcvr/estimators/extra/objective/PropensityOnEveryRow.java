package org.causalcvr.estimators.extra.objective;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;

/**
 * An objective whose value reads p̂ on every row, not only through the clicked rows' weights o/p̂:
 * the same loss and terms as {@code objective}, with the propensity's towers declared {@link
 * TowerRowUse#ALL_ROWS} and every other tower as {@code objective} declares it.
 *
 * <p>For TDR-CL's DR term: its targeted ê* = ê + ε/p̂ is averaged over every exposure, so the
 * unclicked rows' p̂ change the estimate, which the library's DR objective (built for an ê that
 * does not read p̂) would declare otherwise.
 */
public final class PropensityOnEveryRow implements Objective {
    private final Objective objective;
    private final Propensity propensity;

    public PropensityOnEveryRow(Objective objective, Propensity propensity) {
        this.objective = Objects.requireNonNull(objective);
        this.propensity = Objects.requireNonNull(propensity);
    }

    public Objective objective() {
        return objective;
    }

    @Override
    public String name() {
        return objective.name();
    }

    @Override
    public Set<String> towers() {
        return objective.towers();
    }

    @Override
    public TowerRowUse rowUse(String tower) {
        return propensity.towers().contains(tower) ? TowerRowUse.ALL_ROWS : objective.rowUse(tower);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        return objective.loss(ops, input);
    }
}
