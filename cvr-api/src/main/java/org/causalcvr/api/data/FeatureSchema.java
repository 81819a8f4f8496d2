package org.causalcvr.api.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.UnknownNameException;

/**
 * The categorical feature fields of an exposure log, in column order, its dense (real-valued)
 * fields, and whether the log carries a group id and ground truth.
 *
 * <p>Labels are not fields: {@link FeatureField} refuses every {@linkplain ReservedColumns
 * reserved} name, so a model built from a schema can never read the click or conversion label (or
 * the ground truth) as an input feature.
 *
 * @param fields the feature fields, in order; names unique
 * @param hasGroup whether batches carry a {@code group} column
 * @param hasGroundTruth whether batches carry {@code true_propensity} and {@code true_cvr}
 * @param dense the dense fields, in order ({@link ExposureBatch#denseFeature}); names unique across
 *     both lists. A backend that uses only the categorical fields may ignore them
 */
public record FeatureSchema(
        List<FeatureField> fields,
        boolean hasGroup,
        boolean hasGroundTruth,
        List<DenseField> dense) {
    /** A schema without dense fields. */
    public FeatureSchema(List<FeatureField> fields, boolean hasGroup, boolean hasGroundTruth) {
        this(fields, hasGroup, hasGroundTruth, List.of());
    }

    public FeatureSchema {
        fields = List.copyOf(fields);
        dense = List.copyOf(dense);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("A feature schema needs at least one field");
        }
        var seen = new HashMap<String, Integer>();
        for (FeatureField f : fields) {
            if (seen.put(f.name(), 1) != null) {
                throw new IllegalArgumentException(
                        "Feature field '" + f.name() + "' appears twice");
            }
        }
        for (DenseField d : dense) {
            if (seen.put(d.name(), 1) != null) {
                throw new IllegalArgumentException(
                        "Feature field '" + d.name() + "' appears twice");
            }
        }
    }

    /** The same schema with the dense fields {@code denseFields}. */
    public FeatureSchema withDense(List<DenseField> denseFields) {
        return new FeatureSchema(fields, hasGroup, hasGroundTruth, denseFields);
    }

    /** Number of feature fields. */
    public int size() {
        return fields.size();
    }

    public FeatureField field(int index) {
        return fields.get(index);
    }

    /** The index of the field called {@code name}, or an error listing the known fields. */
    public int indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new UnknownNameException("feature field", name, names());
    }

    public Optional<FeatureField> find(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return fields.stream().map(FeatureField::name).toList();
    }

    /** Sum of the fields' cardinalities: the rows of one embedding table holding every field. */
    public long totalCardinality() {
        long total = 0;
        for (FeatureField f : fields) {
            total = Math.addExact(total, f.cardinality());
        }
        return total;
    }

    /** Start of each field's rows in one shared table: the prefix sums of the cardinalities. */
    public long[] offsets() {
        long[] offsets = new long[fields.size()];
        long acc = 0;
        for (int i = 0; i < fields.size(); i++) {
            offsets[i] = acc;
            acc += fields.get(i).cardinality();
        }
        return offsets;
    }

    /** Whether any field is multi-valued. */
    public boolean hasMultiValuedFields() {
        return fields.stream().anyMatch(FeatureField::multiValued);
    }

    /** The same fields with ground truth dropped (for example after a real-data conversion). */
    public FeatureSchema withGroundTruth(boolean groundTruth) {
        return new FeatureSchema(fields, hasGroup, groundTruth, dense);
    }

    /** The same schema, with or without a group column. */
    public FeatureSchema withGroup(boolean group) {
        return new FeatureSchema(fields, group, hasGroundTruth, dense);
    }

    /** A stable text form of the fields, roles and cardinalities, for fingerprints and checks. */
    public String describe() {
        var parts = new ArrayList<String>();
        for (FeatureField f : fields) {
            parts.add(
                    f.name()
                            + ":"
                            + f.role().name().toLowerCase(java.util.Locale.ROOT)
                            + ":"
                            + f.cardinality()
                            + (f.multiValued() ? ":multi" : ""));
        }
        var denseParts = new ArrayList<String>();
        for (DenseField d : dense) {
            denseParts.add(d.name() + ":" + d.role().name().toLowerCase(java.util.Locale.ROOT));
        }
        return String.join(",", parts)
                + (dense.isEmpty() ? "" : ";dense=" + String.join(",", denseParts))
                + (hasGroup ? ";group" : "")
                + (hasGroundTruth ? ";truth" : "");
    }

    /** Field name to cardinality, in order. */
    public Map<String, Long> cardinalities() {
        var out = new java.util.LinkedHashMap<String, Long>();
        fields.forEach(f -> out.put(f.name(), f.cardinality()));
        return out;
    }
}
