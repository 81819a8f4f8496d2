package org.causalcvr.estimators.objective;

import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Rows;

/**
 * The CTR task: {@code (1/|D|) Σ_D CE(o, p̂)} with {@code p̂ = sigmoid(ctr logits)}, over every
 * exposure of the batch (term {@value Terms#CTR}).
 *
 * <p>This is what supervises the propensity: the paper's Multi-IPW and Multi-DR co-train the CTR
 * task on the whole exposure space (section 4.1), and every estimator here trains a CTR tower with
 * it so that pCTCVR = pCTR · pCVR can be reported. A propensity that is only reached through the
 * IPW weight is not a click model; this term is what makes it one.
 */
public final class ClickThroughObjective implements Objective {
    @Override
    public String name() {
        return "ctr";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CTR);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        return LossTerms.single(Terms.CTR, term(ops, input));
    }

    /** The {@value Terms#CTR} term alone, for objectives that add it to their own. */
    public static <T> T term(Ops<T> ops, ObjectiveInput<T> input) {
        T clickProbability = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CTR));
        return Rows.mean(ops, input, CrossEntropy.perRow(ops, input.clicks(), clickProbability));
    }
}
