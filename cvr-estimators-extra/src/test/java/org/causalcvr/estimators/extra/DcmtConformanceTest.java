package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.DcmtFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class DcmtConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new DcmtFactory();
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
                "consistency-weight",
                List.of("-0.001", "Infinity"));
    }
}
