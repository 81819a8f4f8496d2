package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.DrBiasFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class DrBiasConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new DrBiasFactory();
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
                "ipw-bound",
                List.of("0", "1.5"),
                "imputation-target",
                List.of("label"));
    }
}
