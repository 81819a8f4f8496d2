package org.causalcvr.estimators.imputation;

import java.util.Set;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.ops.Ops;

/**
 * ê = 0 for every row: the imputation of estimators that are not doubly robust (DR becomes IPW).
 */
public final class NoImputation implements Imputation {
    public static final NoImputation INSTANCE = new NoImputation();

    private NoImputation() {}

    @Override
    public String name() {
        return "none";
    }

    @Override
    public Set<String> towers() {
        return Set.of();
    }

    @Override
    public <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T predictionError) {
        return ops.full(predictionError, 0.0);
    }
}
