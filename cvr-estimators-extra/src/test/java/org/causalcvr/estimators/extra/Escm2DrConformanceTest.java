package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.Escm2DrFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

class Escm2DrConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new Escm2DrFactory();
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
                List.of("label"),
                "cvr-weight",
                List.of("0", "-1", "Infinity"),
                "ctcvr-weight",
                List.of("-0.5", "Infinity"));
    }
}
