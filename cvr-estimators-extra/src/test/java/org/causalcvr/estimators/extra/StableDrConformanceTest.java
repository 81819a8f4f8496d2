package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.StableDrFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;
import org.causalcvr.testkit.TestWorld;

class StableDrConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new StableDrFactory();
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
                "imputation-l2",
                List.of("-1"),
                "cyclic-updates",
                List.of("yes", "1"));
    }

    /**
     * A normalised estimate is invariant to a uniform scale of p̂ (p̂ = p/2 gives the same
     * weights), so the power twin distorts p̂ unevenly.
     */
    @Override
    protected double[] misspecifiedPropensity(TestWorld world) {
        return squared(world.propensity());
    }

    static double[] squared(double[] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] * p[i];
        }
        return out;
    }
}
