package org.causalcvr.estimators.extra.imputation;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Rows;
import org.causalcvr.estimators.objective.InverseWeights;

/**
 * The targeted imputed error of TDR-CL (Li, Lyu, Zheng and Wu, "TDR-CL: Targeted Doubly Robust
 * Collaborative Learning for Debiased Recommendations", ICLR 2023): the imputation model's ê
 * (parametric part) plus a correction along the clever covariate h = 1/p̂ (non-parametric part),
 * whose one parameter ε is fitted on the batch's clicked rows by least squares, the targeting step
 * of targeted maximum-likelihood estimation:
 *
 * <pre>
 *   h  = 1/clip(p̂)
 *   ε  = Σ_D o·h·(e − ê) / Σ_D o·h²          (argmin_ε Σ_D o·(e − ê − ε·h)²)
 *   ê* = ê + ε·h
 * </pre>
 *
 * The normal equation of ε is Σ_D o·(e − ê*)/p̂ = 0: the inverse-propensity correction of the DR
 * estimate vanishes for ê*, so DR with ê* equals the mean of ê* over D, (1/|D|) Σ_D ê + ε·(1/|D|)
 * Σ_D h. ê = e gives ε = 0 (TDR is exact, as DR is); with p̂ = p the estimate is consistent (ε is a
 * ratio of two sums over the clicks, so it is unbiased up to O(1/|D|), as SNIPS is).
 *
 * <p>Gradients: ε is recomputed on every batch from e, ê and p̂ as the imputation's input passes
 * them, so in the DR term (ê detached there) gradients reach r̂ through ε on the clicked rows, and
 * in the imputation loss the tower fits the part of e that the correction leaves (the collaborative
 * update of the parametric part). With row weights (under-sampling) both sums are weighted.
 *
 * <p>The covariate h = 1/p̂ is the standard one of targeted learning for a mean with missing
 * outcomes; it is what makes the DR correction vanish exactly.
 */
public final class TargetedImputation implements Imputation {
    private final Propensity propensity;
    private final Imputation parametric;

    /**
     * @param propensity p̂ of the clever covariate h = 1/p̂
     * @param parametric the imputation model's ê
     */
    public TargetedImputation(Propensity propensity, Imputation parametric) {
        this.propensity = Objects.requireNonNull(propensity);
        this.parametric = Objects.requireNonNull(parametric);
    }

    public Imputation parametric() {
        return parametric;
    }

    @Override
    public String name() {
        return "targeted-" + parametric.name();
    }

    @Override
    public Set<String> towers() {
        var towers = new HashSet<>(parametric.towers());
        towers.addAll(propensity.towers());
        return Set.copyOf(towers);
    }

    @Override
    public <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T predictionError) {
        T imputed = parametric.imputedError(ops, input, predictionError);
        T h = covariate(ops, input);
        T clickedH = ops.mul(input.clicks(), h);
        T fluctuation =
                Rows.ratio(
                        ops,
                        Rows.sum(ops, input, ops.mul(clickedH, ops.sub(predictionError, imputed))),
                        Rows.sum(ops, input, ops.mul(clickedH, h)));
        return ops.add(imputed, ops.mul(fluctuation, h));
    }

    /** h = 1/clip(p̂) of every row, guarded as every inverse-propensity weight is. */
    private <T> T covariate(Ops<T> ops, ObjectiveInput<T> input) {
        return InverseWeights.of(ops, propensity.propensity(ops, input), name(), "targeting");
    }
}
