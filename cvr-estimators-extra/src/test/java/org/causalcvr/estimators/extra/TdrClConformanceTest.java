package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.TdrClFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;
import org.causalcvr.testkit.TestWorld;

class TdrClConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new TdrClFactory();
    }

    @Override
    protected Claim claim() {
        // ε is a ratio of two sums over the clicks: unbiased up to O(1/|D|) when p̂ = p (about 4%
        // of
        // P at the kit's 200 pairs, 0.7% at 2000, 0.05% at 20000 in a numerical check).
        return Claim.CONSISTENT_DOUBLY_ROBUST;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of(
                "undersample-rate",
                List.of("0", "-1.5"),
                "ipw-bound",
                List.of("0", "1.5"),
                "imputation-target",
                List.of("label"));
    }

    /**
     * A targeted estimate re-fits the scale of h = 1/p̂ on every batch, so it is invariant to a
     * uniform scale of p̂ (p̂ = p/2 gives the same estimate): the power twin distorts p̂ unevenly.
     */
    @Override
    protected double[] misspecifiedPropensity(TestWorld world) {
        return StableDrConformanceTest.squared(world.propensity());
    }
}
