package org.causalcvr.data.arrow.synth;

import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.ReservedColumns;

/**
 * One field of a synthetic world.
 *
 * @param name column name (not a reserved label name)
 * @param role the role written to the schema
 * @param cardinality number of ids, at least 1
 * @param kind how the id is drawn
 * @param zipfExponent popularity law of the ids: id of popularity rank k (0-based) is drawn with
 *     probability proportional to {@code 1 / (k + 1)^s}; 0 is uniform. Ranks are scattered over the
 *     ids by a seeded permutation, so popular ids are not the small ones
 * @param source for {@link FieldKind#CROSS}: the field crossed with the user; else null
 * @param maxListLength 0 for a single-valued field; otherwise the field is multi-valued and
 *     weighted, and a row holds 1 to {@code maxListLength} ids (fixed per key, like a history)
 */
public record FieldSpec(
        String name,
        FieldRole role,
        int cardinality,
        FieldKind kind,
        double zipfExponent,
        String source,
        int maxListLength) {
    public FieldSpec {
        if (name == null || ReservedColumns.isReserved(name)) {
            throw new IllegalArgumentException("Field name '" + name + "' is reserved or missing");
        }
        if (cardinality < 1) {
            throw new IllegalArgumentException(
                    "Field '" + name + "': cardinality " + cardinality + "; allowed [1, 2^31)");
        }
        if (!(zipfExponent >= 0 && zipfExponent <= 5)) {
            throw new IllegalArgumentException(
                    "Field '" + name + "': zipfExponent " + zipfExponent + "; allowed [0, 5]");
        }
        if ((kind == FieldKind.CROSS) != (source != null)) {
            throw new IllegalArgumentException(
                    "Field '"
                            + name
                            + "': a source is required for CROSS fields and only for them");
        }
        if (maxListLength < 0 || maxListLength > 1024) {
            throw new IllegalArgumentException(
                    "Field '" + name + "': maxListLength " + maxListLength + "; allowed [0, 1024]");
        }
        if (maxListLength > 0 && (kind == FieldKind.USER_ID || kind == FieldKind.ITEM_ID)) {
            throw new IllegalArgumentException(
                    "Field '" + name + "': the user and item id fields are single-valued");
        }
    }

    /** A single-valued field. */
    public static FieldSpec of(
            String name, FieldRole role, int cardinality, FieldKind kind, double zipfExponent) {
        return new FieldSpec(name, role, cardinality, kind, zipfExponent, null, 0);
    }

    /** A single-valued cross of the user with {@code source}. */
    public static FieldSpec cross(String name, int cardinality, String source) {
        return new FieldSpec(name, FieldRole.CROSS, cardinality, FieldKind.CROSS, 0.0, source, 0);
    }

    /** This field as a weighted multi-valued field of up to {@code maxLength} ids. */
    public FieldSpec multiValued(int maxLength) {
        return new FieldSpec(name, role, cardinality, kind, zipfExponent, source, maxLength);
    }

    /** This field with another cardinality. */
    public FieldSpec withCardinality(int c) {
        return new FieldSpec(name, role, c, kind, zipfExponent, source, maxListLength);
    }

    public boolean multiValued() {
        return maxListLength > 0;
    }
}
