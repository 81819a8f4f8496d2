package org.causalcvr.data.arrow.synth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The parameters of a synthetic MNAR world; see {@link SyntheticWorld} for the generative model.
 *
 * @param fields the feature fields, in column order; exactly one {@link FieldKind#USER_ID} (its
 *     cardinality is the number of users, and its id is the group), at most one {@link
 *     FieldKind#ITEM_ID}
 * @param clickRate target mean click propensity (CTR) over all exposures, in (0, 1)
 * @param conversionRate target post-click conversion rate {@code Σ p·q / Σ p}, in (0, 1)
 * @param confounding γ ≥ 0: weight of the unobserved confounder z in both the click and the
 *     conversion logit; 0 removes the hidden confounding (clicks are then missing at random given
 *     the features)
 * @param featureCorrelation ρ in [-1, 1]: correlation of each id's click and conversion effects
 *     (observed selection: popular-to-click ids also convert more when ρ > 0)
 * @param featureStrength standard deviation of the summed feature effects in each logit, ≥ 0
 * @param seed the seed; the same config gives the same rows, bit for bit
 * @param confounderVisibility v in [0, 1]: the share of the confounder's variance that the features
 *     carry. The confounder is {@code z = sqrt(v)·s(x) + sqrt(1-v)·h}, with {@code s(x)} a
 *     standardized additive function of the row's features and {@code h ~ N(0,1)} drawn per
 *     exposure and never written. 0 hides it all (no function of the features recovers z); 1 makes
 *     the true propensity a function of the features alone
 * @param popularitySkew κ ≥ 0: weight, in the click logit only, of the standardized log-popularity
 *     of the row's user and item (their log exposure probability under the Zipf laws). With κ &gt;
 *     0 rarely shown users and items are also rarely clicked, so the clicked rows under-represent
 *     the tail of the exposures: the covariate shift of real logs. It is a function of the
 *     features, so it is selection on observables
 */
public record WorldConfig(
        List<FieldSpec> fields,
        double clickRate,
        double conversionRate,
        double confounding,
        double featureCorrelation,
        double featureStrength,
        long seed,
        double confounderVisibility,
        double popularitySkew) {
    /** A world with its confounder all hidden and no popularity skew in the clicks. */
    public WorldConfig(
            List<FieldSpec> fields,
            double clickRate,
            double conversionRate,
            double confounding,
            double featureCorrelation,
            double featureStrength,
            long seed) {
        this(
                fields,
                clickRate,
                conversionRate,
                confounding,
                featureCorrelation,
                featureStrength,
                seed,
                0.0,
                0.0);
    }

    public WorldConfig {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("A world needs at least one field");
        }
        var names = new HashSet<String>();
        int users = 0;
        int items = 0;
        for (FieldSpec f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("Field '" + f.name() + "' appears twice");
            }
            users += f.kind() == FieldKind.USER_ID ? 1 : 0;
            items += f.kind() == FieldKind.ITEM_ID ? 1 : 0;
        }
        if (users != 1 || items > 1) {
            throw new IllegalArgumentException(
                    "A world needs exactly one USER_ID field and at most one ITEM_ID field");
        }
        for (FieldSpec f : fields) {
            if (f.kind() == FieldKind.ITEM_ATTRIBUTE && items == 0) {
                throw new IllegalArgumentException(
                        "Field '" + f.name() + "' is an item attribute but there is no ITEM_ID");
            }
            if (f.kind() == FieldKind.CROSS) {
                FieldSpec src =
                        fields.stream()
                                .filter(g -> g.name().equals(f.source()))
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        "Field '"
                                                                + f.name()
                                                                + "' crosses unknown field '"
                                                                + f.source()
                                                                + "'"));
                if (src.kind() == FieldKind.CROSS || src.multiValued()) {
                    throw new IllegalArgumentException(
                            "Field '" + f.name() + "' must cross a single-valued, non-cross field");
                }
            }
        }
        check("clickRate", clickRate, 1e-6, 1 - 1e-6);
        check("conversionRate", conversionRate, 1e-6, 1 - 1e-6);
        check("confounding", confounding, 0, 10);
        check("featureCorrelation", featureCorrelation, -1, 1);
        check("featureStrength", featureStrength, 0, 10);
        check("confounderVisibility", confounderVisibility, 0, 1);
        check("popularitySkew", popularitySkew, 0, 5);
    }

    private static void check(String key, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(
                    key + " = " + value + " is outside [" + lo + ", " + hi + "]");
        }
    }

    public WorldConfig withSeed(long s) {
        return with(fields, clickRate, conversionRate, confounding, s);
    }

    public WorldConfig withConfounding(double gamma) {
        return with(fields, clickRate, conversionRate, gamma, seed);
    }

    public WorldConfig withFeatureCorrelation(double rho) {
        return new WorldConfig(
                fields,
                clickRate,
                conversionRate,
                confounding,
                rho,
                featureStrength,
                seed,
                confounderVisibility,
                popularitySkew);
    }

    public WorldConfig withRates(double ctr, double cvr) {
        return with(fields, ctr, cvr, confounding, seed);
    }

    /** The same world with confounder visibility {@code v} (see the record's parameters). */
    public WorldConfig withConfounderVisibility(double v) {
        return new WorldConfig(
                fields,
                clickRate,
                conversionRate,
                confounding,
                featureCorrelation,
                featureStrength,
                seed,
                v,
                popularitySkew);
    }

    /** The same world with popularity skew {@code kappa} in the clicks. */
    public WorldConfig withPopularitySkew(double kappa) {
        return new WorldConfig(
                fields,
                clickRate,
                conversionRate,
                confounding,
                featureCorrelation,
                featureStrength,
                seed,
                confounderVisibility,
                kappa);
    }

    private WorldConfig with(List<FieldSpec> f, double ctr, double cvr, double gamma, long s) {
        return new WorldConfig(
                f,
                ctr,
                cvr,
                gamma,
                featureCorrelation,
                featureStrength,
                s,
                confounderVisibility,
                popularitySkew);
    }

    /** The same world with {@code users} users (the cardinality of the USER_ID field). */
    public WorldConfig withUsers(int users) {
        return withIds(FieldKind.USER_ID, users);
    }

    /** The same world with {@code items} items (the cardinality of the ITEM_ID field). */
    public WorldConfig withItems(int items) {
        return withIds(FieldKind.ITEM_ID, items);
    }

    /** The number of users (group ids). */
    public int users() {
        return ids(FieldKind.USER_ID);
    }

    /** The number of items (the cardinality of the ITEM_ID field). */
    public int items() {
        return ids(FieldKind.ITEM_ID);
    }

    private WorldConfig withIds(FieldKind kind, int count) {
        List<FieldSpec> out = new ArrayList<>();
        for (FieldSpec f : fields) {
            out.add(f.kind() == kind ? f.withCardinality(count) : f);
        }
        return with(out, clickRate, conversionRate, confounding, seed);
    }

    private int ids(FieldKind kind) {
        return fields.stream()
                .filter(f -> f.kind() == kind)
                .findFirst()
                .orElseThrow()
                .cardinality();
    }
}
