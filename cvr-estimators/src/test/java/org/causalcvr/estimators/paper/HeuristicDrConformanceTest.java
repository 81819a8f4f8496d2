package org.causalcvr.estimators.paper;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class HeuristicDrConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new HeuristicDrFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.DOUBLY_ROBUST;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of(
                "eta",
                List.of("0", "1", "-0.1", "1.5"),
                "undersample-rate",
                List.of("0"),
                "ipw-bound-pct",
                List.of("-0.1"));
    }
}
