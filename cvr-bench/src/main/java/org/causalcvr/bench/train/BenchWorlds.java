package org.causalcvr.bench.train;

import java.util.ArrayList;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.synth.FieldKind;
import org.causalcvr.data.arrow.synth.FieldSpec;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.WorldConfig;

/** The synthetic worlds the training benchmark trains on. */
public final class BenchWorlds {
    /** The PyTorch reference's 20 single-valued fields (shared/bench/pytorch-reference). */
    static final Object[][] REFERENCE_FIELDS = {
        {"user_id_101", 400_000, FieldRole.USER, FieldKind.USER_ID},
        {"item_id_205", 1_000_000, FieldRole.ITEM, FieldKind.ITEM_ID},
        {"shop_207", 300_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"intention_210", 100_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"brand_216", 200_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"user_category_508", 1_000_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"user_shop_509", 500_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"user_brand_702", 200_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"category_206", 10_000, FieldRole.ITEM, FieldKind.ITEM_ATTRIBUTE},
        {"user_intention_853", 50_000, FieldRole.CROSS, FieldKind.USER_ATTRIBUTE},
        {"user_intent_hist_150_14", 20_000, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"cms_segid_121", 98, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"cms_group_122", 14, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"gender_124", 3, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"age_125", 8, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"pvalue_126", 4, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"shopping_level_127", 4, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"occupation_128", 3, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"city_level_129", 5, FieldRole.USER, FieldKind.USER_ATTRIBUTE},
        {"scenario_301", 4, FieldRole.CONTEXT, FieldKind.CONTEXT}
    };

    private BenchWorlds() {}

    /**
     * The benchmark's world (seed 7): the PyTorch reference's fields when {@code matchReference},
     * else the {@code ali-ccp-like} preset; with {@code tableRows > 0} the fields of 1,000 ids or
     * more are scaled so that all tables hold about that many rows in total.
     */
    public static WorldConfig world(boolean matchReference, long tableRows) {
        WorldConfig base;
        if (matchReference) {
            var fields = new ArrayList<FieldSpec>();
            for (Object[] f : REFERENCE_FIELDS) {
                fields.add(
                        FieldSpec.of(
                                (String) f[0],
                                (FieldRole) f[2],
                                (Integer) f[1],
                                (FieldKind) f[3],
                                0.8));
            }
            base = new WorldConfig(fields, 0.04, 0.05, 1.0, 0.5, 1.0, 7);
        } else {
            base = Presets.get("ali-ccp-like").withSeed(7);
        }
        if (tableRows <= 0) {
            return base;
        }
        long total = base.fields().stream().mapToLong(FieldSpec::cardinality).sum();
        double scale = (double) tableRows / total;
        var scaled = new ArrayList<FieldSpec>();
        for (FieldSpec f : base.fields()) {
            // Small fields keep their cardinality; large ones carry the scale, as ids do in
            // practice.
            long c =
                    f.cardinality() < 1000
                            ? f.cardinality()
                            : Math.max(1000, Math.round(f.cardinality() * scale));
            if (c > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "Option --table-rows = "
                                + tableRows
                                + " makes field "
                                + f.name()
                                + " too large");
            }
            scaled.add(f.withCardinality((int) c));
        }
        return new WorldConfig(
                scaled,
                base.clickRate(),
                base.conversionRate(),
                base.confounding(),
                base.featureCorrelation(),
                base.featureStrength(),
                base.seed());
    }
}
