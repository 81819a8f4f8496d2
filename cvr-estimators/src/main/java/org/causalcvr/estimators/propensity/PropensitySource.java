package org.causalcvr.estimators.propensity;

/** Where an IPW or DR estimator takes p̂ from ({@code propensity}). */
public enum PropensitySource {
    /** The estimator's CTR tower (shared or separately trained, as the estimator defines). */
    CTR_TOWER,
    /** The data's true propensity (synthetic or semi-synthetic data only). */
    ORACLE,
    /**
     * An estimated propensity supplied with the data in column {@code propensity} (for example
     * naive Bayes from a small missing-at-random sample); see {@link ColumnPropensity}.
     */
    COLUMN
}
