package org.causalcvr.estimators.propensity;

import java.util.Set;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.ops.Ops;

/**
 * p̂ = c for every row: the propensity of estimators that do not weight (c = 1), or of a
 * missing-completely-at-random model. With c = P(o=1), IPW with a constant propensity is the
 * click-space loss rescaled, and is biased exactly as that is.
 */
public final class ConstantPropensity implements Propensity {
    /** c = 1: no weighting. */
    public static final ConstantPropensity ONE = new ConstantPropensity(1.0);

    private final double value;

    /**
     * @param value c in (0, 1]
     */
    public ConstantPropensity(double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(
                    "constant propensity " + value + " is outside (0, 1]");
        }
        this.value = value;
    }

    public double value() {
        return value;
    }

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public Set<String> towers() {
        return Set.of();
    }

    @Override
    public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
        return ops.full(input.clicks(), value);
    }
}
