package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.DynamicDrFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

/**
 * D-DR's limit case γ = 0 is DR, and has DR's claim; with γ &gt; 0 it trades a bounded bias for
 * variance on purpose, which {@code DynamicDrProperties} checks against its closed form.
 */
class DynamicDrConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new DynamicDrFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.DOUBLY_ROBUST;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("variance-weight", "0");
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of(
                "variance-weight",
                List.of("-0.01", "1.5", "Infinity"),
                "undersample-rate",
                List.of("0", "-1.5"));
    }
}
