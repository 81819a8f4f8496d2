package org.causalcvr.estimators.kit;

import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.DoubleRange;
import org.causalcvr.estimators.imputation.ImputationTarget;
import org.causalcvr.estimators.objective.Normalisation;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.causalcvr.estimators.propensity.PropensitySource;

/**
 * The configuration keys of the paper's estimators: the options the paper and its
 * re-implementations disagree on, each explicit, validated, with a documented default. Which
 * estimator accepts which key is listed in its factory's Javadoc and in {@code configSchema()}.
 */
public final class EstimatorKeys {
    private static final double INF = Double.POSITIVE_INFINITY;

    /** k, Oversampling: each converted click counts k times. Default 5 (paper 5.2.1); [1, +inf). */
    public static final ConfigKey<Double> POSITIVE_WEIGHT =
            ConfigKey.ofDouble(
                    "positive-weight",
                    5.0,
                    DoubleRange.atLeast(1),
                    "k: each converted click counts k times in the click-space loss (paper: 5)");

    /**
     * η, Heuristic DR: the probability that an exposure's pseudo-label is positive. Default 0.002,
     * the middle of the paper's grid {0.0005, 0.001, 0.002, 0.005, 0.01} (the paper reports the
     * best of the grid without saying which it was); (0, 1).
     */
    public static final ConfigKey<Double> ETA =
            ConfigKey.ofDouble(
                    "eta",
                    0.002,
                    DoubleRange.open(0, 1),
                    "eta: probability that a pseudo-label is positive; imputed error CE(eta, r̂)"
                            + " (paper grid 0.0005..0.01)");

    /** λ for Multi-DR: default 1.5 (paper 5.7); (0, +inf], Infinity keeps every unclicked row. */
    public static final ConfigKey<Double> UNDERSAMPLE_RATE = undersampleRate(1.5);

    /** L2 on the imputation tower's weights: default 1e-4 (paper); [0, +inf). */
    public static final ConfigKey<Double> IMPUTATION_L2 =
            ConfigKey.ofDouble(
                    "imputation-l2",
                    1e-4,
                    DoubleRange.atLeast(0),
                    "L2 penalty on the imputation tower's weights (paper: 1e-4)");

    /**
     * What the imputation tower predicts: {@code error} (default, the paper's text) or {@code
     * pseudo-label}.
     */
    public static final ConfigKey<ImputationTarget> IMPUTATION_TARGET =
            ConfigKey.ofEnum(
                    "imputation-target",
                    ImputationTarget.class,
                    ImputationTarget.ERROR,
                    "error: the tower regresses e = CE(r, r̂); pseudo-label: it predicts a soft"
                            + " label s and the imputed error is CE(s, r̂)");

    /**
     * Where p̂ comes from: {@code ctr-tower} (default), {@code oracle} (true propensity) or {@code
     * column} (an estimated propensity supplied with the data in column {@code propensity}).
     */
    public static final ConfigKey<PropensitySource> PROPENSITY =
            ConfigKey.ofEnum(
                    "propensity",
                    PropensitySource.class,
                    PropensitySource.CTR_TOWER,
                    "source of the propensity p̂: the estimator's ctr tower, the data's"
                            + " true_propensity (synthetic data only), or an estimated propensity"
                            + " supplied with the data in column 'propensity'");

    /**
     * Whether the CTR tower is trained with CE(o, p̂) over every exposure. Default true; false
     * reproduces the public re-implementations that forget it (and needs {@code
     * propensity-gradient=attached}, or the tower would not be trained at all).
     */
    public static final ConfigKey<Boolean> PROPENSITY_SUPERVISION =
            ConfigKey.ofBoolean(
                    "propensity-supervision",
                    true,
                    "train the ctr tower with CE(o, p̂) over every exposure (the paper's CTR task)");

    /**
     * Whether the weight 1/p̂ passes gradients into p̂: {@code detached} (default) or {@code
     * attached}.
     */
    public static final ConfigKey<PropensityGradient> PROPENSITY_GRADIENT =
            ConfigKey.ofEnum(
                    "propensity-gradient",
                    PropensityGradient.class,
                    PropensityGradient.DETACHED,
                    "whether gradients of the weighted CVR loss flow into the propensity");

    /** 1/|D| ({@code exposure-count}, default; eqs. 8, 10) or SNIPS ({@code self-normalised}). */
    public static final ConfigKey<Normalisation> NORMALISATION =
            ConfigKey.ofEnum(
                    "normalisation",
                    Normalisation.class,
                    Normalisation.EXPOSURE_COUNT,
                    "exposure-count: divide by |D| (eq. 8); self-normalised: divide by Σ o/p̂"
                            + " (SNIPS)");

    /**
     * The absolute IPW bound τ: p̂ is clamped from below at it. Default 0.001 (weights at most
     * 1000); (0, 1].
     */
    public static final ConfigKey<Double> IPW_BOUND =
            ConfigKey.ofDouble(
                    "ipw-bound",
                    1e-3,
                    new DoubleRange(0, false, 1, true),
                    "absolute floor tau on the propensity before it is inverted");

    /**
     * τ% (paper 5.7): p̂ is also clamped from below at min + τ%/100 · (mean − min) of the batch's
     * propensities. Default 0 (off); [0, 100]; the paper sweeps 50..95.
     */
    public static final ConfigKey<Double> IPW_BOUND_PCT =
            ConfigKey.ofDouble(
                    "ipw-bound-pct",
                    0.0,
                    DoubleRange.closed(0, 100),
                    "tau%: floor at tau% of the way from the batch's smallest to its mean"
                            + " propensity (paper 5.7); 0 is off");

    /** A cap on the weight 1/p̂ (a floor 1/cap on p̂). Default Infinity (none); [1, +inf]. */
    public static final ConfigKey<Double> MAX_WEIGHT =
            ConfigKey.ofDouble(
                    "max-weight",
                    INF,
                    new DoubleRange(1, true, INF, true),
                    "largest inverse-propensity weight 1/p̂ (Infinity: no cap)");

    private EstimatorKeys() {}

    /** λ with the given default: unclicked rows kept per clicked row; Infinity keeps them all. */
    public static ConfigKey<Double> undersampleRate(double defaultValue) {
        return ConfigKey.ofDouble(
                "undersample-rate",
                defaultValue,
                new DoubleRange(0, false, INF, true),
                "lambda: unclicked rows kept per clicked row in each training batch (paper: 1.5);"
                        + " Infinity keeps every row");
    }
}
