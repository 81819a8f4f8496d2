package com.example.mydr;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

/** The test kit's checks, from its one test-scoped dependency (cvr-testkit). */
class MyDrConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new MyDrFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.DOUBLY_ROBUST;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of("propensity-floor", List.of("0", "1.5", "x"));
    }
}
