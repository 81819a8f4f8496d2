package org.causalcvr.data.arrow.synth;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.data.FieldRole;

/**
 * Named synthetic worlds.
 *
 * <ul>
 *   <li>{@code ali-ccp-like}: the 23 fields of Ali-CCP with their real cardinalities, all
 *       single-valued (as in the processed Ali-CCP CSV), CTR 3.9%, post-click CVR 0.54%, Zipf
 *       popularity (users s = 0.9, items s = 1.05, attributes s = 0.8), γ = 1, ρ = 0.5, half of the
 *       confounder's variance carried by the features (visibility 0.5) and popularity skew 0.5.
 *       Mixed, because real logs are mixed: the features explain much of what drives a click (the
 *       paper's CTR towers reach AUC 0.6-0.8) but not all of it. A world whose confounder is all
 *       hidden tests only the case no estimator on features can fix, and one where it is all seen
 *       only the case where the naive model is itself consistent; at 0.5 a propensity learnt from
 *       the features corrects part of the selection and leaves a part no estimator on features can
 *       remove (in the visibility study of the README, Multi-DR beats the naive model there on
 *       every seed). The demo at its default size (600k training rows) scores every estimator well
 *       above 0.5 against the true CVR there (base 63.1, Multi-DR 65.6, ESMM 67.6; one seed). A
 *       200k-row demo scored them below 0.5: too few steps for the demo's network, whose embeddings
 *       of ids never clicked in training then keep their initial values while those of clicked ids
 *       move down, and with the confounder partly seen the clicked ids are the high-CVR ones (see
 *       VisibleConfounderTest). Set {@code --confounder-visibility 0 --popularity-skew 0} for the
 *       world before these knobs;
 *   <li>{@code ali-ccp-like-multi}: the same, with the four user-history fields {@code 109_14,
 *       110_14, 127_14, 150_14} weighted multi-valued (1 to 10 ids per user), as in raw Ali-CCP;
 *   <li>{@code small}: six fields (one multi-valued), 1,000 users, CTR 10%, CVR 20%, γ = 1, the
 *       confounder all hidden and no popularity skew, for tests.
 * </ul>
 */
public final class Presets {
    private static final Map<String, Supplier<WorldConfig>> PRESETS = new TreeMap<>();

    static {
        PRESETS.put("ali-ccp-like", () -> aliCcpLike(false));
        PRESETS.put("ali-ccp-like-multi", () -> aliCcpLike(true));
        PRESETS.put("small", Presets::small);
    }

    private Presets() {}

    /** The preset called {@code name} (seed 0; change it with {@link WorldConfig#withSeed}). */
    public static WorldConfig get(String name) {
        Supplier<WorldConfig> s = PRESETS.get(name);
        if (s == null) {
            throw new UnknownNameException("synthetic preset", name, PRESETS.keySet());
        }
        return s.get();
    }

    /** The preset names. */
    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    private static WorldConfig aliCcpLike(boolean multi) {
        FieldRole u = FieldRole.USER;
        FieldRole i = FieldRole.ITEM;
        FieldKind ua = FieldKind.USER_ATTRIBUTE;
        FieldKind ia = FieldKind.ITEM_ATTRIBUTE;
        int hist = multi ? 10 : 0;
        List<FieldSpec> fields =
                List.of(
                        FieldSpec.of("101", u, 238_635, FieldKind.USER_ID, 0.9),
                        FieldSpec.of("121", u, 98, ua, 0.8),
                        FieldSpec.of("122", u, 14, ua, 0.8),
                        FieldSpec.of("124", u, 3, ua, 0.8),
                        FieldSpec.of("125", u, 8, ua, 0.8),
                        FieldSpec.of("126", u, 4, ua, 0.8),
                        FieldSpec.of("127", u, 4, ua, 0.8),
                        FieldSpec.of("128", u, 3, ua, 0.8),
                        FieldSpec.of("129", u, 5, ua, 0.8),
                        FieldSpec.of("205", i, 467_298, FieldKind.ITEM_ID, 1.05),
                        FieldSpec.of("206", i, 6_929, ia, 0.8),
                        FieldSpec.of("207", i, 263_942, ia, 0.8),
                        FieldSpec.of("210", i, 80_232, ia, 0.8),
                        FieldSpec.of("216", i, 106_399, ia, 0.8),
                        FieldSpec.cross("508", 5_888, "206"),
                        FieldSpec.cross("509", 104_830, "207"),
                        FieldSpec.cross("702", 51_878, "216"),
                        FieldSpec.cross("853", 37_148, "210"),
                        FieldSpec.of("301", FieldRole.CONTEXT, 3, FieldKind.CONTEXT, 0.5),
                        FieldSpec.of("109_14", u, 5_853, ua, 0.8).multiValued(hist),
                        FieldSpec.of("110_14", u, 105_622, ua, 0.8).multiValued(hist),
                        FieldSpec.of("127_14", u, 53_843, ua, 0.8).multiValued(hist),
                        FieldSpec.of("150_14", u, 31_858, ua, 0.8).multiValued(hist));
        return new WorldConfig(fields, 0.039, 0.0054, 1.0, 0.5, 1.0, 0, 0.5, 0.5);
    }

    private static WorldConfig small() {
        List<FieldSpec> fields =
                List.of(
                        FieldSpec.of("user", FieldRole.USER, 1_000, FieldKind.USER_ID, 0.8),
                        FieldSpec.of("segment", FieldRole.USER, 8, FieldKind.USER_ATTRIBUTE, 0.5),
                        FieldSpec.of("item", FieldRole.ITEM, 500, FieldKind.ITEM_ID, 1.0),
                        FieldSpec.of("category", FieldRole.ITEM, 20, FieldKind.ITEM_ATTRIBUTE, 0.8),
                        FieldSpec.of("position", FieldRole.CONTEXT, 4, FieldKind.CONTEXT, 0.5),
                        FieldSpec.cross("user_x_category", 256, "category"),
                        FieldSpec.of("history", FieldRole.USER, 50, FieldKind.USER_ATTRIBUTE, 0.8)
                                .multiValued(5));
        return new WorldConfig(fields, 0.1, 0.2, 1.0, 0.5, 1.0, 0);
    }
}
