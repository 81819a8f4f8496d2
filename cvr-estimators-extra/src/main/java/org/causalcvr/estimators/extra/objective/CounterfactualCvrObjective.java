package org.causalcvr.estimators.extra.objective;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.extra.factories.DcmtFactory;
import org.causalcvr.estimators.extra.propensity.NonClickPropensity;
import org.causalcvr.estimators.kit.Rows;
import org.causalcvr.estimators.objective.CrossEntropy;
import org.causalcvr.estimators.objective.InverseWeights;

/**
 * The counterfactual half of DCMT (Zhu et al., ICDE 2023, "DCMT: A Direct Entire-Space Causal
 * Multi-Task Framework for Post-Click Conversion Estimation", the counterfactual loss and the
 * counterfactual regulariser of its entire-space objective): a twin CVR tower r̂_cf ({@value
 * #TOWER}) is trained on the unclicked rows with the counterfactual label 1 − r, weighted by the
 * inverse non-click propensity, and the two towers are tied by a soft constraint r̂_f + r̂_cf = 1:
 *
 * <pre>
 *   cvr-counterfactual = (1/|D|) Σ_D (1 − o)·CE(1 − r, r̂_cf) / clip(1 − p̂)
 *   cvr-consistency    = (1/|D|) Σ_D |1 − (r̂_f + r̂_cf)|
 *   total              = cvr-counterfactual + λ · cvr-consistency
 * </pre>
 *
 * The observed r of an unclicked row is 0, so its counterfactual label is 1. 1 − p̂ comes from
 * {@link NonClickPropensity} (clipped like p̂, detached unless the propensity is attached). The
 * factual half, (1/|D|) Σ o·CE(r, r̂_f)/clip(p̂), is {@link
 * org.causalcvr.estimators.objective.InversePropensityObjective}; {@link DcmtFactory} adds both.
 */
public final class CounterfactualCvrObjective implements Objective {
    /** The counterfactual CVR tower. */
    public static final String TOWER = "cvr-counterfactual";

    /** The term of the counterfactual loss. */
    public static final String COUNTERFACTUAL_TERM = "cvr-counterfactual";

    /** The term of the regulariser |1 − (r̂_f + r̂_cf)|. */
    public static final String CONSISTENCY_TERM = "cvr-consistency";

    private final NonClickPropensity nonClick;
    private final double consistencyWeight;

    /**
     * @param consistencyWeight λ, finite and at least 0
     */
    public CounterfactualCvrObjective(NonClickPropensity nonClick, double consistencyWeight) {
        if (!(consistencyWeight >= 0) || Double.isInfinite(consistencyWeight)) {
            throw new IllegalArgumentException(
                    "consistency weight " + consistencyWeight + " is outside [0, +inf)");
        }
        this.nonClick = Objects.requireNonNull(nonClick);
        this.consistencyWeight = consistencyWeight;
    }

    public double consistencyWeight() {
        return consistencyWeight;
    }

    @Override
    public String name() {
        return "dcmt-counterfactual";
    }

    @Override
    public Set<String> towers() {
        var towers = new HashSet<>(nonClick.towers());
        towers.add(TowerNames.CVR);
        towers.add(TOWER);
        return Set.copyOf(towers);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T factual = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T counterfactual = CrossEntropy.probability(ops, input.outputs().get(TOWER));
        T unclicked = ops.oneMinus(input.clicks());
        T weight =
                InverseWeights.ofNonClick(
                        ops, nonClick.propensity(ops, input), name(), COUNTERFACTUAL_TERM);
        T loss = CrossEntropy.perRow(ops, ops.oneMinus(input.conversions()), counterfactual);
        T counterfactualLoss = Rows.mean(ops, input, ops.mul(ops.mul(unclicked, weight), loss));
        T consistency =
                Rows.mean(ops, input, ops.abs(ops.oneMinus(ops.add(factual, counterfactual))));
        var terms = new LinkedHashMap<String, T>();
        terms.put(COUNTERFACTUAL_TERM, counterfactualLoss);
        terms.put(CONSISTENCY_TERM, consistency);
        return new LossTerms<>(
                ops.add(counterfactualLoss, ops.mulScalar(consistency, consistencyWeight)), terms);
    }
}
