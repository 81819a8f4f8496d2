package org.causalcvr.estimators.objective;

import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Rows;

/**
 * Naive Imputation (section 5.2.1): every unclicked exposure is taken as a negative,
 *
 * <pre>
 *   E = (1/|D|) Σ_D CE(o·r, r̂)
 * </pre>
 *
 * Term {@value Terms#CVR}. Biased towards 0 for every exposure that would have converted had it
 * been clicked.
 */
public final class NaiveImputationObjective implements Objective {
    @Override
    public String name() {
        return "naive-imputation";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CVR);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T predicted = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T labels = ops.mul(input.clicks(), input.conversions());
        return LossTerms.single(
                Terms.CVR, Rows.mean(ops, input, CrossEntropy.perRow(ops, labels, predicted)));
    }
}
