package org.causalcvr.api.data;

/**
 * One dense (real-valued) feature field: a finite Float32 value per exposure, such as the processed
 * Ali-CCP CSV's {@code D*} columns (a normalised count or score), beside the categorical {@link
 * FeatureField}s.
 *
 * @param name column name; never a {@linkplain ReservedColumns reserved} label or truth column
 * @param role what the value describes
 */
public record DenseField(String name, FieldRole role) {
    public DenseField {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("A dense field needs a name");
        }
        if (ReservedColumns.isReserved(name)) {
            throw new IllegalArgumentException(
                    "Column '"
                            + name
                            + "' is a label, group, truth or weight column and can never be a feature");
        }
        if (role == null) {
            throw new IllegalArgumentException("Dense field '" + name + "' needs a role");
        }
    }
}
