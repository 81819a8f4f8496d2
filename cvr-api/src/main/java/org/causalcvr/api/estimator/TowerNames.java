package org.causalcvr.api.estimator;

/**
 * The names of the towers the paper's estimators use. Plugins may add towers with other names (for
 * example a counterfactual CVR tower); a backend builds whatever towers an estimator lists.
 */
public final class TowerNames {
    /** Predicts the click-through rate p̂ = P(o=1 | x) on every exposure: the propensity. */
    public static final String CTR = "ctr";

    /** Predicts the post-click conversion rate r̂ = P(r=1 | o=1, x). */
    public static final String CVR = "cvr";

    /** Predicts the prediction error ê of the CVR tower on every exposure (DR estimators). */
    public static final String IMPUTATION = "imputation";

    private TowerNames() {}
}
