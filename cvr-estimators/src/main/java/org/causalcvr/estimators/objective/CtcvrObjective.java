package org.causalcvr.estimators.objective;

import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Rows;

/**
 * ESMM's global (CTCVR) risk, term {@value Terms#CTCVR}:
 *
 * <pre>
 *   E^CTCVR = (1/|D|) Σ_D CE(o·r, p̂·r̂)
 * </pre>
 *
 * with p̂ = sigmoid(ctr logit) unclipped and r̂ = sigmoid(cvr logit); gradients reach both towers,
 * as in ESMM, whose objective is this term plus the CTR term ({@link
 * org.causalcvr.estimators.paper.EsmmFactory#objective}). ESCM² keeps it as a regulariser of the
 * counterfactual CVR loss. It reads both towers on every row ({@link TowerRowUse#ALL_ROWS}, the
 * default): the label o·r of an unclicked row is 0, and the loss still pushes p̂·r̂ towards it.
 */
public final class CtcvrObjective implements Objective {
    @Override
    public String name() {
        return "ctcvr";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CTR, TowerNames.CVR);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T clickProbability = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CTR));
        T conversionProbability =
                CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T labels = ops.mul(input.clicks(), input.conversions());
        T value =
                Rows.mean(
                        ops,
                        input,
                        CrossEntropy.perRow(
                                ops, labels, ops.mul(clickProbability, conversionProbability)));
        return LossTerms.single(Terms.CTCVR, value);
    }
}
