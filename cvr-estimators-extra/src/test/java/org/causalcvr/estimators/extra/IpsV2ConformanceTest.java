package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.IpsV2Factory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class IpsV2ConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new IpsV2Factory();
    }

    @Override
    protected Claim claim() {
        return Claim.INVERSE_PROPENSITY;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of(
                "ipw-bound-pct", List.of("-1", "101"), "balance-weight", List.of("-1", "Infinity"));
    }
}
