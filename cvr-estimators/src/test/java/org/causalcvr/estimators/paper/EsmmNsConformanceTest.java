package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class EsmmNsConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new EsmmNsFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.BIASED;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of();
    }
}
