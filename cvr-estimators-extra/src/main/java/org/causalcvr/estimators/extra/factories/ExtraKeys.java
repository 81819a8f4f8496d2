package org.causalcvr.estimators.extra.factories;

import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.DoubleRange;
import org.causalcvr.estimators.kit.EstimatorKeys;

/**
 * The configuration keys that the estimators after the paper add to {@link EstimatorKeys} (which
 * they also accept: the propensity, clipping and imputation keys). Every key is strict: a bad value
 * fails with a one-line {@link org.causalcvr.api.config.ConfigException} naming key, value and
 * range.
 */
public final class ExtraKeys {
    /**
     * w_cvr of ESCM²-DR: the weight of the DR CVR loss in the total. Default 0.5 (the public
     * reference implementation of ESCM²); (0, +inf).
     */
    public static final ConfigKey<Double> CVR_WEIGHT =
            ConfigKey.ofDouble(
                    "cvr-weight",
                    0.5,
                    DoubleRange.positive(),
                    "w_cvr: weight of the counterfactual (DR) CVR loss (ESCM2 reference: 0.5)");

    /**
     * w_ctcvr of ESCM²-DR: the weight of the CTCVR loss CE(o·r, p̂·r̂). Default 0.5 (the public
     * reference); [0, +inf), 0 drops the term.
     */
    public static final ConfigKey<Double> CTCVR_WEIGHT =
            ConfigKey.ofDouble(
                    "ctcvr-weight",
                    0.5,
                    DoubleRange.atLeast(0),
                    "w_ctcvr: weight of the CTCVR loss CE(o·r, p̂·r̂) (ESCM2 reference: 0.5)");

    /**
     * λ of DCMT: the weight of the counterfactual regulariser (1/|D|) Σ |1 − (r̂_f + r̂_cf)|.
     * Default 0.001 (our choice: the paper tunes it per data set and does not fix one value); [0,
     * +inf).
     */
    public static final ConfigKey<Double> CONSISTENCY_WEIGHT =
            ConfigKey.ofDouble(
                    "consistency-weight",
                    1e-3,
                    DoubleRange.atLeast(0),
                    "lambda: weight of DCMT's regulariser mean |1 - (r̂_factual +"
                            + " r̂_counterfactual)|");

    /**
     * γ of DR-MSE: the share of DR-BIAS's weight in the imputation weight, γ·(1−p̂)²/p̂³ + (1 −
     * γ)·(1−p̂)/p̂². Default 0.5 (our choice: Dai et al. tune it); [0, 1] (0 is MRDR, 1 is
     * DR-BIAS).
     */
    public static final ConfigKey<Double> BIAS_WEIGHT =
            ConfigKey.ofDouble(
                    "bias-weight",
                    0.5,
                    DoubleRange.closed(0, 1),
                    "gamma: imputation weight gamma·o(1-p̂)²/p̂³ + (1-gamma)·o(1-p̂)/p̂² (0 is"
                            + " MRDR, 1 is DR-BIAS)");

    /**
     * γ of IPS-V2 and DR-V2: the weight of the balancing loss (mean[(o/p̂ − (1−o)/(1−p̂))·r̂])².
     * Default 1 (our choice: Li et al. tune it); [0, +inf), 0 turns balancing off.
     */
    public static final ConfigKey<Double> BALANCE_WEIGHT =
            ConfigKey.ofDouble(
                    "balance-weight",
                    1.0,
                    DoubleRange.atLeast(0),
                    "gamma: weight of the propensity balancing loss (mean[(o/p̂ -"
                            + " (1-o)/(1-p̂))·r̂])²");

    /**
     * γ of D-DR: the weight of the variance against the squared bias in the per-pair objective
     * whose minimiser is the weight 1/(p̂ + γ(1 − p̂)). Default 0.01 (ours: Ha et al. tune their
     * estimator per data set; at 0.01 a pair keeps at least half its inverse-propensity weight down
     * to p̂ = 0.01, and no weight exceeds 100); [0, 1], 0 is DR.
     */
    public static final ConfigKey<Double> VARIANCE_WEIGHT =
            ConfigKey.ofDouble(
                    "variance-weight",
                    0.01,
                    DoubleRange.closed(0, 1),
                    "gamma: per-pair weight 1/(p̂ + gamma·(1 - p̂)), the minimiser of bias² +"
                            + " gamma·variance (0 is DR)");

    /**
     * Whether StableDR updates its imputation, prediction and propensity towers in turn, one batch
     * each (the paper's cyclic learning), or all together on every batch. Default true.
     */
    public static final ConfigKey<Boolean> CYCLIC_UPDATES =
            ConfigKey.ofBoolean(
                    "cyclic-updates",
                    true,
                    "update prediction, imputation and propensity towers in turn, one batch each"
                            + " (StableDR's cyclic learning); false trains them jointly");

    /**
     * α of NISE: the scale of its per-batch CVR weight w = α·min(ctr / cvr, β). Default 1 (the
     * authors' implementation); (0, +inf).
     */
    public static final ConfigKey<Double> CVR_WEIGHT_SCALE =
            ConfigKey.ofDouble(
                    "cvr-weight-scale",
                    1.0,
                    DoubleRange.positive(),
                    "alpha: NISE's CVR weight is alpha·min(ctr loss / cvr loss, beta) per batch");

    /**
     * β of NISE: the cap on the ratio of the CTR loss to the CVR loss in its per-batch CVR weight.
     * Default 50 (the authors' implementation); (0, +inf).
     */
    public static final ConfigKey<Double> CVR_WEIGHT_CAP =
            ConfigKey.ofDouble(
                    "cvr-weight-cap",
                    50.0,
                    DoubleRange.positive(),
                    "beta: cap on ctr loss / cvr loss in NISE's per-batch CVR weight (authors: 50)");

    /**
     * γ of NISE: the weight of the unclicked rows' pseudo-label loss (1/|D|) Σ (1 − o)·H(r̂) in the
     * CVR loss. Default 1 (NISE); 0 drops the unclicked rows (the authors' ablation without
     * non-click samples). Ours: the paper has no such knob; [0, +inf).
     */
    public static final ConfigKey<Double> PSEUDO_LABEL_WEIGHT =
            ConfigKey.ofDouble(
                    "pseudo-label-weight",
                    1.0,
                    DoubleRange.atLeast(0),
                    "gamma: weight of NISE's pseudo-label loss on unclicked rows, (1-o)·H(r̂) (1 is"
                            + " NISE, 0 drops the unclicked rows)");

    /**
     * τ of NISE: an unclicked row's pseudo-label counts only where the CVR tower is confident about
     * it, max(r̂, 1 − r̂) > τ. Default 0.9 (ours: the authors' loss counts every row, τ = 0.5, and
     * then lets a run whose first steps leave r̂ above about 1/2 settle at r̂ ≈ 1 on every row; 0.9
     * keeps the pseudo-labels off until the clicked rows have pulled r̂ below 0.1, which needs a
     * post-click CVR below 0.1); [0.5, 1).
     */
    public static final ConfigKey<Double> PSEUDO_LABEL_CONFIDENCE =
            ConfigKey.ofDouble(
                    "pseudo-label-confidence",
                    0.9,
                    new DoubleRange(0.5, true, 1.0, false),
                    "tau: NISE counts an unclicked row's pseudo-label only where max(r̂, 1-r̂) > tau"
                            + " (0.5 counts every row, the authors' loss)");

    /**
     * λ for {@code escm2-dr} and {@code dr-v2}: unclicked rows kept per clicked row. Default
     * Infinity (every row: their losses are statements about the whole exposure space); (0, +inf].
     * {@code mrdr}, {@code dr-bias} and {@code dr-mse} use {@link EstimatorKeys#UNDERSAMPLE_RATE}
     * (1.5, as {@code multi-dr}).
     */
    public static final ConfigKey<Double> UNDERSAMPLE_RATE =
            EstimatorKeys.undersampleRate(Double.POSITIVE_INFINITY);

    private ExtraKeys() {}
}
