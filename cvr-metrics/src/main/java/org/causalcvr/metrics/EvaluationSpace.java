package org.causalcvr.metrics;

import java.util.Arrays;
import java.util.Locale;
import org.causalcvr.api.UnknownNameException;

/**
 * Where a metric is computed: which rows, which prediction scores them and which label it is judged
 * against. Every output of this module names its space, because a "CVR AUC" on clicked rows and one
 * on all exposures are different numbers (public benchmarks disagree on which they mean).
 *
 * <p>Ground-truth spaces need {@code true_cvr} (synthetic or semi-synthetic data). Their
 * <b>drawn</b> labels complete the potential outcome "conversion if clicked" on every exposure: a
 * clicked row keeps its observed conversion label; an unclicked row gets {@code r ~
 * Bernoulli(true_cvr)} drawn from the evaluation's label seed and the row's position in the stream
 * (a counter-based generator, so the draw does not depend on how the stream is cut into batches).
 * Their <b>true</b> variants use the probability {@code true_cvr} itself as a soft label (see
 * {@link Auc#soft} and {@link LogLoss#soft}).
 */
public enum EvaluationSpace {
    /** pCVR on clicked exposures (o = 1) against the conversion labels: the click space O. */
    CVR_CLICKED("cvr-clicked", "pCVR on clicked exposures vs conversion", false, false),
    /**
     * pCVR on every exposure (the exposure space D) against conversion labels observed where
     * clicked and drawn from true_cvr where not.
     */
    CVR_EXPOSURE(
            "cvr-exposure",
            "pCVR on all exposures vs conversion (drawn where unclicked)",
            true,
            false),
    /** pCVR on every exposure against the true conversion probability (soft labels). */
    CVR_EXPOSURE_TRUE("cvr-exposure-true", "pCVR on all exposures vs true_cvr", true, true),
    /** pCVR on unclicked exposures (o = 0) against conversion labels drawn from true_cvr. */
    CVR_UNCLICKED("cvr-unclicked", "pCVR on unclicked exposures vs drawn conversion", true, false),
    /** pCVR on unclicked exposures against the true conversion probability (soft labels). */
    CVR_UNCLICKED_TRUE("cvr-unclicked-true", "pCVR on unclicked exposures vs true_cvr", true, true),
    /** pCTCVR = pCTR · pCVR on every exposure against click ∧ conversion. */
    CTCVR("ctcvr", "pCTR*pCVR on all exposures vs click and conversion", false, false),
    /** pCTR on every exposure against the click labels. */
    CTR("ctr", "pCTR on all exposures vs click", false, false);

    private final String label;
    private final String description;
    private final boolean needsGroundTruth;
    private final boolean softLabels;

    EvaluationSpace(String label, String description, boolean needsGroundTruth, boolean soft) {
        this.label = label;
        this.description = description;
        this.needsGroundTruth = needsGroundTruth;
        this.softLabels = soft;
    }

    /** The name printed in every output and accepted by {@link #parse}: {@code cvr-clicked}. */
    public String label() {
        return label;
    }

    /** One line saying rows, score and label. */
    public String description() {
        return description;
    }

    /** Whether the space exists only with ground truth ({@code true_cvr}). */
    public boolean needsGroundTruth() {
        return needsGroundTruth;
    }

    /** Whether labels are true probabilities rather than 0/1. */
    public boolean softLabels() {
        return softLabels;
    }

    /** Whether the space scores the CVR prediction (and so has a bias against true_cvr). */
    public boolean isCvr() {
        return this != CTCVR && this != CTR;
    }

    /** The space called {@code text} (its label, or its constant name in any case). */
    public static EvaluationSpace parse(String text) {
        String t = text.trim();
        for (EvaluationSpace s : values()) {
            if (s.label.equalsIgnoreCase(t) || s.name().equalsIgnoreCase(t)) {
                return s;
            }
        }
        throw new UnknownNameException(
                "evaluation space",
                text,
                Arrays.stream(values()).map(EvaluationSpace::label).toList());
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
