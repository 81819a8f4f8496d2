package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class OversamplingConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new OversamplingFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.BIASED;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of("positive-weight", List.of("0.99", "0", "-5", "Infinity"));
    }
}
