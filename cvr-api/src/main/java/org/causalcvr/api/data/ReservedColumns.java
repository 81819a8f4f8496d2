package org.causalcvr.api.data;

import java.util.Set;

/**
 * Column names with a fixed meaning in every exposure log. None of them can name a feature field,
 * so a label can never leak into the features (see {@link FeatureSchema}).
 */
public final class ReservedColumns {
    /** The click indicator o ∈ {0, 1}. */
    public static final String CLICK = "click";

    /** The conversion indicator r ∈ {0, 1}; 1 only where click is 1. */
    public static final String CONVERSION = "conversion";

    /** A grouping id (user or page view) for per-group metrics such as GAUC. */
    public static final String GROUP = "group";

    /** Synthetic or semi-synthetic data only: the true click propensity p of the exposure. */
    public static final String TRUE_PROPENSITY = "true_propensity";

    /**
     * An estimated click propensity p̂ ∈ (0, 1] supplied with the data (for example naive Bayes
     * from a small missing-at-random sample, as {@code cvr convert coat --propensity naive-bayes}
     * writes it); read by IPW and DR estimators with {@code propensity=column}. Not the truth: that
     * is {@link #TRUE_PROPENSITY}.
     */
    public static final String PROPENSITY = "propensity";

    /** Synthetic or semi-synthetic data only: the true post-click conversion probability. */
    public static final String TRUE_CVR = "true_cvr";

    /** The suffix of a multi-valued field's weight column: {@code 109_14_weight}. */
    public static final String WEIGHT_SUFFIX = "_weight";

    /** Names that no feature may take (compared case-insensitively). */
    public static final Set<String> ALL =
            Set.of(
                    CLICK,
                    CONVERSION,
                    GROUP,
                    TRUE_PROPENSITY,
                    TRUE_CVR,
                    PROPENSITY,
                    "purchase",
                    "buy",
                    "ctcvr",
                    "label");

    private ReservedColumns() {}

    /** Whether {@code name} is reserved for a label, group, ground truth or weight column. */
    public static boolean isReserved(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return ALL.contains(lower) || lower.endsWith(WEIGHT_SUFFIX);
    }
}
