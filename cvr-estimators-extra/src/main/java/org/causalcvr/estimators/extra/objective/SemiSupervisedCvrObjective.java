package org.causalcvr.estimators.extra.objective;

import java.util.LinkedHashMap;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.estimators.kit.Rows;
import org.causalcvr.estimators.objective.ClickThroughObjective;
import org.causalcvr.estimators.objective.CrossEntropy;
import org.causalcvr.estimators.objective.Terms;

/**
 * NISE's objective (Jiahui Huang, Lan Zhang, Junhao Wang, Shanyang Jiang, Dongbo Huang, Cheng Ding
 * and Lan Xu, "Utilizing Non-click Samples via Semi-supervised Learning for Conversion Rate
 * Prediction", RecSys 2024): the CVR task over the whole exposure space, the clicked exposures with
 * their conversion labels and the unclicked ones as unlabelled data whose pseudo-label is the CVR
 * tower's own prediction, plus the CTR task as an auxiliary task on the shared embedding, with no
 * CTCVR task, and the CVR task's weight set on every batch from the two losses:
 *
 * <pre>
 *   ctr          = (1/|D|) Σ_D CE(o, p̂)
 *   cvr-clicked  = (1/|D|) Σ_D o·CE(r, r̂)
 *   m            = 1 where max(r̂, 1 − r̂) > τ, else 0                      (a number per row)
 *   cvr-pseudo   = (1/|D|) Σ_D (1 − o)·m·CE(r̂, r̂) = (1/|D|) Σ_D (1 − o)·m·H(r̂)
 *   cvr          = cvr-clicked + cvr-pseudo
 *   w            = α · min( ctr / (cvr-clicked + γ·cvr-pseudo), β )        (a number: no gradient)
 *   total        = ctr + w · (cvr-clicked + γ·cvr-pseudo)
 * </pre>
 *
 * H(q) = −q·log q − (1 − q)·log(1 − q) is the binary entropy. The pseudo-label r̂ of an unclicked
 * row is not detached: the term's gradient along that row's logit z is the entropy's, −z·r̂(1 − r̂)
 * (zero where r̂ = 1/2), so a descent step moves r̂ away from 1/2 toward the end it is nearer to
 * (self-training with soft pseudo-labels, that is entropy minimisation). An unclicked exposure that
 * the model believes would convert (with the mask below: with confidence above τ) is pushed up,
 * where ESMM's CTCVR term, whose label o·r is 0 there, pushes it down (the false-negative problem
 * the paper is about).
 *
 * <p>A detached pseudo-label would train nothing: the gradient of CE(sg(r̂), r̂) along z is r̂ −
 * sg(r̂) = 0, so a soft self-label acts only through its target, as the entropy.
 *
 * <p><b>The confidence mask m (ours).</b> The authors' loss is τ = 1/2 (m = 1 on every row). Its
 * CVR tower starts at r̂ ≈ 1/2 on every row, the one place where the entropy has no preferred
 * direction, and the first steps decide which end the unclicked rows, 19 in 20 exposures at a CTR
 * of 5%, are driven to. For a CVR tower that is a single logit b (CTR c, post-click CVR r̄) the CVR
 * gradient is g(b) = c·(σ(b) − r̄) − (1 − c)·b·σ(b)(1 − σ(b)), which for c = 0.05, r̄ = 0.049 has
 * three zeros: stable at σ(b) = 0.0003, unstable at b = 0.10 (σ = 0.525) and stable at σ(b) =
 * 0.989. A run whose early logits drift above the unstable zero settles on the upper one, r̂ ≈ 1 on
 * every unclicked row: the CVR tower becomes a non-click detector and ranks the exposures backwards
 * (the demo's seed 2: exposure AUC 0.335, mean r̂ 0.983). With m, an unclicked row's entropy counts
 * only where the tower is already confident about it, max(r̂, 1 − r̂) > τ (the confidence threshold
 * of FixMatch, Sohn et al., "FixMatch: Simplifying Semi-Supervised Learning with Consistency and
 * Confidence", NeurIPS 2020; a per-row warm-up that needs no step counter, so training stays a pure
 * function of the batch and resumes from a checkpoint unchanged): from r̂ ≈ 1/2 only the clicked
 * rows train the tower, which pulls r̂ toward r̄, and each unclicked row joins once its r̂ falls
 * below 1 − τ. The run then goes where the authors' non-collapsing runs go. The default τ = 0.9 is
 * ours (the paper is silent): it must leave the early logits (|z| well below logit τ = 2.2) out and
 * must let the typical row in, which needs a post-click CVR below 1 − τ = 0.1. The upper zero is
 * still a fixed point; the mask only keeps a run from reaching it from an undecided start. m
 * carries no gradient.
 *
 * <p>The fixed point that the non-collapsing runs reach, σ(b) ≈ 0.0003 above, is why NISE's pCVR is
 * not a probability: the entropy of the 95% unclicked rows outweighs the clicked rows' cross-
 * entropy until r̂ is far below r̄ (the demo's runs end with a mean r̂ of 0.0004 over the exposures
 * against a true mean CVR of 0.011). It ranks; it is not calibrated, with or without m.
 *
 * <p>{@code cvr} is NISE's estimate of the prediction inaccuracy P: each clicked row's error, and
 * for each unclicked row the error expected under its own pseudo-label, E_{r ~ Bernoulli(r̂)} CE(r,
 * r̂) = H(r̂) (with τ &gt; 1/2, only on the rows where m = 1). It is biased whenever the model's
 * uncertainty is not the error it makes.
 *
 * <p>Sources: the abstract (non-click samples as unlabelled data, their predicted conversion
 * probabilities as pseudo-labels, no CTCVR task, an auxiliary CTR task for the embedding) and the
 * authors' public PyTorch implementation (github.com/Hjh233/NISE, strategy {@code
 * adaptive_ucvrlc}), read to learn the loss: per-batch means over all exposures of the two CVR
 * parts, the prediction as the target of PyTorch's binary cross-entropy on the unclicked rows
 * (which differentiates through its target, so the gradient is the entropy's), and the weight
 * α·min(ctr/cvr, β) taken as a plain number, α = 1 and β = 50 by default; their only guard against
 * a bad run is early stopping on held-out CVR AUC with the best epoch's weights restored (10
 * epochs, patience 3; their scripts pass the test split as the held-out set). The full paper's text
 * was not at hand. γ is ours: 1 is NISE, 0 drops the unlabelled rows (the authors' ablation without
 * non-click samples), values between scale them. τ is ours (above).
 *
 * <p>Contract: every term is at least 0 and finite for finite logits (probabilities clamped as in
 * {@link CrossEntropy}); w lies in [0, α·β]; a batch whose CVR loss is 0 gets w = α·β (its ratio's
 * denominator is clamped at {@link Rows#TINY}). It reads both towers on every row.
 */
public final class SemiSupervisedCvrObjective implements Objective {
    /** The clicked rows' CVR loss, (1/|D|) Σ o·CE(r, r̂). */
    public static final String CLICKED_TERM = "cvr-clicked";

    /** The unclicked rows' pseudo-label loss, (1/|D|) Σ (1 − o)·m·H(r̂). */
    public static final String PSEUDO_LABEL_TERM = "cvr-pseudo";

    /** The batch's CVR weight w (a number, reported so that a run shows how it moved). */
    public static final String WEIGHT_TERM = "cvr-weight";

    /**
     * The share of exposures that are unclicked and whose pseudo-label counts, (1/|D|) Σ (1 − o)·m
     * (a number, reported so that a run shows when the unclicked rows join).
     */
    public static final String CONFIDENT_TERM = "cvr-pseudo-rows";

    /** τ = 1/2: every unclicked row's pseudo-label counts, as in the authors' loss. */
    public static final double EVERY_ROW = 0.5;

    private final double weightScale;
    private final double weightCap;
    private final double pseudoLabelWeight;
    private final double confidence;

    /**
     * @param weightScale α, finite and above 0
     * @param weightCap β, finite and above 0
     * @param pseudoLabelWeight γ, finite and at least 0
     * @param confidence τ in [1/2, 1): an unclicked row's pseudo-label counts only where max(r̂, 1
     *     − r̂) > τ; {@link #EVERY_ROW} (1/2) counts every row, the authors' loss
     */
    public SemiSupervisedCvrObjective(
            double weightScale, double weightCap, double pseudoLabelWeight, double confidence) {
        require("weight scale", weightScale, false);
        require("weight cap", weightCap, false);
        require("pseudo-label weight", pseudoLabelWeight, true);
        if (!(confidence >= EVERY_ROW && confidence < 1)) {
            throw new IllegalArgumentException(
                    "pseudo-label confidence " + confidence + " is outside [0.5, 1)");
        }
        this.weightScale = weightScale;
        this.weightCap = weightCap;
        this.pseudoLabelWeight = pseudoLabelWeight;
        this.confidence = confidence;
    }

    private static void require(String what, double value, boolean zeroAllowed) {
        boolean inside = zeroAllowed ? value >= 0 : value > 0;
        if (!inside || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    what + " " + value + " is outside " + (zeroAllowed ? "[0" : "(0") + ", +inf)");
        }
    }

    public double weightScale() {
        return weightScale;
    }

    public double weightCap() {
        return weightCap;
    }

    public double pseudoLabelWeight() {
        return pseudoLabelWeight;
    }

    /** τ: the confidence above which an unclicked row's pseudo-label counts. */
    public double confidence() {
        return confidence;
    }

    @Override
    public String name() {
        return "nise";
    }

    @Override
    public Set<String> towers() {
        return Set.of(TowerNames.CTR, TowerNames.CVR);
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        T ctr = ClickThroughObjective.term(ops, input);
        T clicks = input.clicks();
        T predicted = CrossEntropy.probability(ops, input.outputs().get(TowerNames.CVR));
        T labelled = CrossEntropy.perRow(ops, input.conversions(), predicted);
        // The prediction is its own soft label, with the gradient through the label kept: CE(q, q)
        // is the entropy H(q), whose gradient -logit(q) is what trains the unclicked rows.
        T entropy = CrossEntropy.perRow(ops, predicted, predicted);
        T unclicked = ops.mul(ops.oneMinus(clicks), confident(ops, input));
        T clicked = Rows.mean(ops, input, ops.mul(clicks, labelled));
        T pseudo = Rows.mean(ops, input, ops.mul(unclicked, entropy));
        T cvrLoss = ops.add(clicked, ops.mulScalar(pseudo, pseudoLabelWeight));
        T weight =
                ops.mulScalar(
                        ops.clamp(
                                Rows.ratio(ops, ops.detach(ctr), ops.detach(cvrLoss)),
                                0.0,
                                weightCap),
                        weightScale);
        var terms = new LinkedHashMap<String, T>();
        terms.put(Terms.CTR, ctr);
        terms.put(Terms.CVR, ops.add(clicked, pseudo));
        terms.put(CLICKED_TERM, clicked);
        terms.put(PSEUDO_LABEL_TERM, pseudo);
        terms.put(WEIGHT_TERM, weight);
        terms.put(CONFIDENT_TERM, Rows.mean(ops, input, unclicked));
        return new LossTerms<>(ops.add(ctr, ops.mul(weight, cvrLoss)), terms);
    }

    /**
     * m: 1 on the rows whose CVR logit z has |z| > logit(τ), that is max(r̂, 1 − r̂) > τ, and 0
     * elsewhere (every row when τ = 1/2); a constant (no gradient). Read on the logit, not on the
     * clamped probability, so that it is exact at either end.
     */
    private <T> T confident(Ops<T> ops, ObjectiveInput<T> input) {
        T logit = ops.detach(input.outputs().get(TowerNames.CVR));
        if (confidence == EVERY_ROW) {
            return ops.full(logit, 1.0);
        }
        T margin = ops.addScalar(ops.abs(logit), -Math.log(confidence / (1 - confidence)));
        return ops.where(
                ops.clamp(margin, 0.0, Double.POSITIVE_INFINITY),
                ops.full(logit, 1.0),
                ops.full(logit, 0.0));
    }
}
