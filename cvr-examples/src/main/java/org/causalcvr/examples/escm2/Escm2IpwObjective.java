package org.causalcvr.examples.escm2;

import java.util.LinkedHashMap;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;

/**
 * ESCM²-IPW's loss (Wang et al., SIGIR 2022, "ESCM²: Entire Space Counterfactual Multi-Task Model",
 * eqs. 5, 8 and 11), written once against {@link Ops}:
 *
 * <pre>
 *   L = CE_ctr + w_cvr · L_IPW + w_ctcvr · CE_ctcvr
 *   CE_ctr   = (1/|D|) Σ CE(o, p̂)                          every exposure
 *   L_IPW    = (1/|D|) Σ o · CE(r, r̂) / max(p̂, τ)          p̂ detached: a weight, not a target
 *   CE_ctcvr = (1/|D|) Σ CE(o·r, p̂·r̂)                       every exposure
 * </pre>
 *
 * <p>with p̂ = σ(ctr logit), r̂ = σ(cvr logit). The CTR term supervises the propensity on the whole
 * exposure space, the IPW term makes the CVR loss an unbiased estimate of the exposure-space loss
 * when p̂ = p, and the CTCVR term is ESMM's global risk, which ESCM² keeps as a regulariser.
 */
public final class Escm2IpwObjective implements Objective {
    static final double EPSILON = 1e-7;

    private final double cvrWeight;
    private final double ctcvrWeight;
    private final double propensityFloor;

    public Escm2IpwObjective(double cvrWeight, double ctcvrWeight, double propensityFloor) {
        this.cvrWeight = cvrWeight;
        this.ctcvrWeight = ctcvrWeight;
        this.propensityFloor = propensityFloor;
    }

    @Override
    public String name() {
        return "escm2-ipw";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CTR, TowerNames.CVR);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
        T o = in.clicks();
        T r = in.conversions();
        T pCtr = probability(ops, in.outputs().get(TowerNames.CTR));
        T pCvr = probability(ops, in.outputs().get(TowerNames.CVR));

        T ctr = in.rowMean(ops, crossEntropy(ops, o, pCtr));

        T propensity = ops.clamp(ops.detach(pCtr), propensityFloor, 1.0);
        double smallest = ops.value(ops.min(propensity));
        if (!(smallest >= propensityFloor)) {
            throw new CvrException(
                    "escm2-ipw: term 'cvr' got a propensity of "
                            + smallest
                            + " (NaN or below the floor "
                            + propensityFloor
                            + ")");
        }
        T cvr = in.rowMean(ops, ops.div(ops.mul(o, crossEntropy(ops, r, pCvr)), propensity));

        T ctcvr =
                in.rowMean(
                        ops,
                        crossEntropy(
                                ops,
                                ops.mul(o, r),
                                ops.clamp(ops.mul(pCtr, pCvr), EPSILON, 1 - EPSILON)));

        T total =
                ops.add(
                        ctr,
                        ops.add(ops.mulScalar(cvr, cvrWeight), ops.mulScalar(ctcvr, ctcvrWeight)));
        var terms = new LinkedHashMap<String, T>();
        terms.put("ctr", ctr);
        terms.put("cvr", cvr);
        terms.put("ctcvr", ctcvr);
        return new LossTerms<>(total, terms);
    }

    private static <T> T probability(Ops<T> ops, T logits) {
        return ops.clamp(ops.sigmoid(logits), EPSILON, 1 - EPSILON);
    }

    /** CE(y, q) = −[y·log q + (1−y)·log(1−q)] per row, for q already inside (0, 1). */
    private static <T> T crossEntropy(Ops<T> ops, T labels, T q) {
        return ops.neg(
                ops.add(
                        ops.mul(labels, ops.log(q)),
                        ops.mul(ops.oneMinus(labels), ops.log(ops.oneMinus(q)))));
    }
}
