package org.causalcvr.estimators.extra;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.estimators.extra.factories.NiseFactory;
import org.causalcvr.testkit.EstimatorConformanceTest;

/**
 * NISE claims no unbiasedness: its estimate imputes each unclicked row's error by the entropy of
 * its own prediction, which is not the error made in the kit's confounded world.
 */
class NiseConformanceTest extends EstimatorConformanceTest {
    @Override
    protected EstimatorFactory factory() {
        return new NiseFactory();
    }

    @Override
    protected Claim claim() {
        return Claim.BIASED;
    }

    @Override
    protected Map<String, List<String>> badValues() {
        return Map.of(
                "cvr-weight-scale",
                List.of("0", "-1", "Infinity"),
                "cvr-weight-cap",
                List.of("0", "-50", "Infinity"),
                "pseudo-label-weight",
                List.of("-0.5", "Infinity"),
                "pseudo-label-confidence",
                List.of("0.4", "1", "NaN"));
    }
}
