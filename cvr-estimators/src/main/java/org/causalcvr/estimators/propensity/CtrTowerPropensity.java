package org.causalcvr.estimators.propensity;

import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;

/**
 * p̂ = clip(sigmoid(ctr logits)): the CTR tower as the propensity. Shared-embedding in Multi-IPW
 * and Multi-DR (section 4.2), a separately trained and frozen model in Naive IPW and Joint Learning
 * DR.
 *
 * <p>{@code detached} (the default, {@code propensity-gradient=detached}) stops gradients from the
 * weight 1/p̂ into the CTR tower, so that the tower is a click model trained by CE(o, p̂) alone.
 * With it attached, minimising o·e/p̂ pushes p̂ of clicked rows up regardless of the clicks, which
 * is what some public re-implementations do.
 */
public final class CtrTowerPropensity implements Propensity {
    private final PropensityGradient gradient;
    private final PropensityClipping clipping;

    public CtrTowerPropensity(PropensityGradient gradient, PropensityClipping clipping) {
        this.gradient = Objects.requireNonNull(gradient);
        this.clipping = Objects.requireNonNull(clipping);
    }

    /** Whether the weight 1/p̂ passes gradients into the CTR tower. */
    public PropensityGradient gradient() {
        return gradient;
    }

    public PropensityClipping clipping() {
        return clipping;
    }

    @Override
    public String name() {
        return "ctr-tower";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CTR);
    }

    @Override
    public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
        T probability = ops.sigmoid(input.outputs().get(TowerNames.CTR));
        return clipping.apply(
                ops,
                gradient == PropensityGradient.DETACHED ? ops.detach(probability) : probability);
    }
}
