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
        return Claim.DOUBLY_ROBUST;
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

    /**
     * ε is a ratio of two sums over the clicks, so TDR is unbiased up to O(1/|D|) (about 2% of P at
     * the kit's 200 pairs, which its t-test detects): the claim is checked where that is
     * negligible.
     */
    @Override
    protected int worldSize() {
        return 2_000;
    }
}
