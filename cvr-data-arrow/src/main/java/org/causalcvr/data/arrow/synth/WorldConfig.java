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
 */
public record WorldConfig(
        List<FieldSpec> fields,
        double clickRate,
        double conversionRate,
        double confounding,
        double featureCorrelation,
        double featureStrength,
        long seed) {
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
    }

    private static void check(String key, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(
                    key + " = " + value + " is outside [" + lo + ", " + hi + "]");
        }
    }

    public WorldConfig withSeed(long s) {
        return new WorldConfig(
                fields,
                clickRate,
                conversionRate,
                confounding,
                featureCorrelation,
                featureStrength,
                s);
    }

    public WorldConfig withConfounding(double gamma) {
        return new WorldConfig(
                fields,
                clickRate,
                conversionRate,
                gamma,
                featureCorrelation,
                featureStrength,
                seed);
    }

    public WorldConfig withFeatureCorrelation(double rho) {
        return new WorldConfig(
                fields, clickRate, conversionRate, confounding, rho, featureStrength, seed);
    }

    public WorldConfig withRates(double ctr, double cvr) {
        return new WorldConfig(
                fields, ctr, cvr, confounding, featureCorrelation, featureStrength, seed);
    }

    /** The same world with {@code users} users (the cardinality of the USER_ID field). */
    public WorldConfig withUsers(int users) {
        List<FieldSpec> out = new ArrayList<>();
        for (FieldSpec f : fields) {
            out.add(f.kind() == FieldKind.USER_ID ? f.withCardinality(users) : f);
        }
        return new WorldConfig(
                out,
                clickRate,
                conversionRate,
                confounding,
                featureCorrelation,
                featureStrength,
                seed);
    }

    /** The number of users (group ids). */
    public int users() {
        return fields.stream()
                .filter(f -> f.kind() == FieldKind.USER_ID)
                .findFirst()
                .orElseThrow()
                .cardinality();
    }
}
