package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class MultiIpwConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new MultiIpwFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.INVERSE_PROPENSITY;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of(
                "ipw-bound-pct",
                List.of("-1", "101"),
                "propensity-supervision",
                List.of("yes"),
                "propensity-gradient",
                List.of("both"));
    }
}
