package org.causalcvr.data.arrow.synth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FieldRole;

/**
 * A {@link WorldConfig} as one line of text, and back: what a generated file records so that the
 * world (its popularity ranks, its ground truth) can be rebuilt from the file alone.
 *
 * <p>Form: {@code key=value} pairs joined by {@code ;}, the seed left out (it is recorded on its
 * own), fields last as {@code name:role:cardinality:kind:zipf:source:maxListLength} joined by
 * {@code ,} ({@code -} for no source). Doubles print in Java's shortest round-trip form, so {@code
 * parse(describe(c))} equals {@code c} with seed 0.
 */
public final class WorldConfigText {
    private WorldConfigText() {}

    /** The parameters of {@code config}, seed excluded. */
    public static String describe(WorldConfig config) {
        List<String> fields = new ArrayList<>();
        for (FieldSpec f : config.fields()) {
            fields.add(
                    String.join(
                            ":",
                            f.name(),
                            f.role().name().toLowerCase(Locale.ROOT),
                            Integer.toString(f.cardinality()),
                            f.kind().name(),
                            Double.toString(f.zipfExponent()),
                            f.source() == null ? "-" : f.source(),
                            Integer.toString(f.maxListLength())));
        }
        return "ctr="
                + config.clickRate()
                + ";cvr="
                + config.conversionRate()
                + ";confounding="
                + config.confounding()
                + ";feature-correlation="
                + config.featureCorrelation()
                + ";feature-strength="
                + config.featureStrength()
                + ";confounder-visibility="
                + config.confounderVisibility()
                + ";popularity-skew="
                + config.popularitySkew()
                + ";fields="
                + String.join(",", fields);
    }

    /**
     * A 64-bit FNV-1a hash of {@link #describe}, in hexadecimal: equal parameters give equal
     * fingerprints, and two different worlds collide with probability about 2^-64.
     */
    public static String fingerprint(WorldConfig config) {
        long h = 0xCBF2_9CE4_8422_2325L;
        for (byte b : describe(config).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100_0000_01B3L;
        }
        return Long.toHexString(h);
    }

    /**
     * The config that {@code text} describes, with seed {@code seed}.
     *
     * @throws DataException naming the part that does not parse
     */
    public static WorldConfig parse(String text, long seed) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.split(";", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new DataException("World parameters: '" + part + "' is not key=value");
            }
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        List<FieldSpec> fields = new ArrayList<>();
        for (String f : require(kv, "fields").split(",", -1)) {
            String[] p = f.split(":", -1);
            if (p.length != 7) {
                throw new DataException(
                        "World parameters: field '"
                                + f
                                + "' is not name:role:cardinality:kind:zipf:source:maxListLength");
            }
            try {
                fields.add(
                        new FieldSpec(
                                p[0],
                                FieldRole.valueOf(p[1].toUpperCase(Locale.ROOT)),
                                Integer.parseInt(p[2]),
                                FieldKind.valueOf(p[3]),
                                Double.parseDouble(p[4]),
                                p[5].equals("-") ? null : p[5],
                                Integer.parseInt(p[6])));
            } catch (IllegalArgumentException e) {
                throw new DataException("World parameters: field '" + f + "': " + e.getMessage());
            }
        }
        try {
            return new WorldConfig(
                    fields,
                    number(kv, "ctr"),
                    number(kv, "cvr"),
                    number(kv, "confounding"),
                    number(kv, "feature-correlation"),
                    number(kv, "feature-strength"),
                    seed,
                    number(kv, "confounder-visibility"),
                    number(kv, "popularity-skew"));
        } catch (IllegalArgumentException e) {
            throw new DataException("World parameters: " + e.getMessage());
        }
    }

    private static String require(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new DataException("World parameters: '" + key + "' is missing");
        }
        return v;
    }

    private static double number(Map<String, String> kv, String key) {
        String v = require(kv, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DataException("World parameters: " + key + " = '" + v + "' is not a number");
        }
    }
}
