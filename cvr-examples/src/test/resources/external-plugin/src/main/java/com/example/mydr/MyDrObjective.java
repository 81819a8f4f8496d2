package com.example.mydr;

import java.util.LinkedHashMap;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;

/**
 * Doubly robust joint learning (Wang et al., ICML 2019), with the CTR tower as the propensity:
 *
 * <pre>
 *   L     = CE_ctr + L_dr + L_imp
 *   L_dr  = (1/|D|) Σ [ ê + o · (e − ê) / p̂ ]        e = CE(r, r̂), ê = CE(r̃, r̂), r̃ detached
 *   L_imp = (1/|D|) Σ o · (e − ê')² / p̂              ê' = CE(r̃, r̂) with r̂ detached
 * </pre>
 *
 * where p̂ = max(σ(ctr), floor) is detached.
 */
public final class MyDrObjective implements Objective {
    static final double EPSILON = 1e-7;

    private final double floor;

    public MyDrObjective(double floor) {
        this.floor = floor;
    }

    @Override
    public String name() {
        return "my-dr";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
        T o = in.clicks();
        T r = in.conversions();
        T pCtr = probability(ops, in.outputs().get(TowerNames.CTR));
        T pCvr = probability(ops, in.outputs().get(TowerNames.CVR));
        T imputed = probability(ops, in.outputs().get(TowerNames.IMPUTATION));
        T propensity = ops.clamp(ops.detach(pCtr), floor, 1.0);

        T ctr = in.rowMean(ops, crossEntropy(ops, o, pCtr));
        T error = crossEntropy(ops, r, pCvr);
        T imputedError = crossEntropy(ops, ops.detach(imputed), pCvr);
        T dr =
                in.rowMean(
                        ops,
                        ops.add(
                                imputedError,
                                ops.div(ops.mul(o, ops.sub(error, imputedError)), propensity)));
        T imputationError = crossEntropy(ops, imputed, ops.detach(pCvr));
        T imp =
                in.rowMean(
                        ops,
                        ops.div(
                                ops.mul(o, ops.square(ops.sub(ops.detach(error), imputationError))),
                                propensity));
        var terms = new LinkedHashMap<String, T>();
        terms.put("ctr", ctr);
        terms.put("cvr", dr);
        terms.put("imputation", imp);
        return new LossTerms<>(ops.add(ctr, ops.add(dr, imp)), terms);
    }

    static <T> T probability(Ops<T> ops, T logits) {
        return ops.clamp(ops.sigmoid(logits), EPSILON, 1 - EPSILON);
    }

    /** CE(y, q) = −[y·log q + (1−y)·log(1−q)] per row. */
    static <T> T crossEntropy(Ops<T> ops, T labels, T q) {
        return ops.neg(
                ops.add(
                        ops.mul(labels, ops.log(q)),
                        ops.mul(ops.oneMinus(labels), ops.log(ops.oneMinus(q)))));
    }
}
