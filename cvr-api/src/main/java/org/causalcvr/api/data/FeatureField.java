package org.causalcvr.api.data;

/**
 * One categorical feature field: ids are integers in {@code [0, cardinality)}.
 *
 * @param name column name; never a {@linkplain ReservedColumns reserved} label or truth column
 * @param role what the field describes
 * @param cardinality number of distinct ids, at least 1; an id outside {@code [0, cardinality)} is
 *     invalid input
 * @param multiValued whether each exposure carries a list of ids (with optional weights) rather
 *     than one id
 */
public record FeatureField(String name, FieldRole role, long cardinality, boolean multiValued) {
    public FeatureField {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A feature field needs a name");
        }
        if (ReservedColumns.isReserved(name)) {
            throw new IllegalArgumentException(
                    "Column '"
                            + name
                            + "' is a label, group, truth or weight column and can never be a feature");
        }
        if (role == null) {
            throw new IllegalArgumentException("Feature field '" + name + "' needs a role");
        }
        if (cardinality < 1) {
            throw new IllegalArgumentException(
                    "Feature field '"
                            + name
                            + "' has cardinality "
                            + cardinality
                            + "; allowed [1, +inf)");
        }
    }

    /** A single-valued field. */
    public static FeatureField single(String name, FieldRole role, long cardinality) {
        return new FeatureField(name, role, cardinality, false);
    }

    /** A multi-valued field. */
    public static FeatureField multi(String name, FieldRole role, long cardinality) {
        return new FeatureField(name, role, cardinality, true);
    }
}
