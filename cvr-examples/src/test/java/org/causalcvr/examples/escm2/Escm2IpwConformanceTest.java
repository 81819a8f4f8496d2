package org.causalcvr.examples.escm2;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

/** The third-party plugin runs the same conformance kit as the built-in estimators. */
class Escm2IpwConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new Escm2IpwFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.INVERSE_PROPENSITY;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of("cvr-weight", List.of("-0.5"), "ipw-bound", List.of("0", "1.5"));
    }
}
