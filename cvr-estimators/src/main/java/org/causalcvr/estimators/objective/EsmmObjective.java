package org.causalcvr.estimators.objective;

import java.util.LinkedHashMap;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;

/**
 * ESMM (Ma et al. 2018), over every exposure:
 *
 * <pre>
 *   E^ESMM = (1/|D|) Σ_D [ CE(o, p̂) + CE(o·r, p̂·r̂) ]
 * </pre>
 *
 * with terms {@value Terms#CTR} and {@value Terms#CTCVR}. The paper's eq. 3 takes this sum as
 * ESMM's estimate of the CVR inaccuracy P and shows with figure 2 that it is biased: the CTCVR
 * label o·r is 0 for an unclicked exposure that would have converted, so the CVR tower is never
 * told about it. This objective has no {@value Terms#CVR} term; its total is the eq. 3 estimate.
 */
public final class EsmmObjective implements Objective {
    @Override
    public String name() {
        return "esmm";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CTR, TowerNames.CVR);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T clicks = input.clicks();
        T clickProbability = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CTR));
        T conversionProbability =
                CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T ctr = Rows.mean(ops, input, CrossEntropy.perRow(ops, clicks, clickProbability));
        T ctcvr =
                Rows.mean(
                        ops,
                        input,
                        CrossEntropy.perRow(
                                ops,
                                ops.mul(clicks, input.conversions()),
                                ops.mul(clickProbability, conversionProbability)));
        var terms = new LinkedHashMap<String, T>();
        terms.put(Terms.CTR, ctr);
        terms.put(Terms.CTCVR, ctcvr);
        return new LossTerms<>(ops.add(ctr, ctcvr), terms);
    }
}
