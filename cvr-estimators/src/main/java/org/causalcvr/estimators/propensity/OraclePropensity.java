package org.causalcvr.estimators.propensity;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.ops.Ops;

/**
 * p̂ = clip(p): the true click propensity of synthetic or semi-synthetic data ({@link
 * ObjectiveInput#truePropensity()}), for experiments that separate the error of the propensity
 * model from the rest. Fails, naming the missing column, on data without ground truth.
 */
public final class OraclePropensity implements Propensity {
    private final PropensityClipping clipping;

    public OraclePropensity(PropensityClipping clipping) {
        this.clipping = Objects.requireNonNull(clipping);
    }

    public PropensityClipping clipping() {
        return clipping;
    }

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public Set<String> towers() {
        return Set.of();
    }

    @Override
    public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
        T truth =
                input.truePropensity()
                        .orElseThrow(
                                () ->
                                        new CvrException(
                                                "Propensity 'oracle' needs the true propensity of"
                                                        + " every row (column 'true_propensity'),"
                                                        + " which this batch lacks"));
        return clipping.apply(ops, truth);
    }
}
