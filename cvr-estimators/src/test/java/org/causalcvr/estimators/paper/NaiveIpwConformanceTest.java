package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class NaiveIpwConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new NaiveIpwFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.INVERSE_PROPENSITY;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of(
                "ipw-bound-pct",
                List.of("-1", "100.5"),
                "ipw-bound",
                List.of("0", "1.5"),
                "max-weight",
                List.of("0.5"));
    }
}
