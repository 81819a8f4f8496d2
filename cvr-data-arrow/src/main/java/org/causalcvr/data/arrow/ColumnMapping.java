package org.causalcvr.data.arrow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.ReservedColumns;

/**
 * How the columns of a foreign Parquet file (one without the exposure-log metadata, for example a
 * table written by Spark) map to an exposure log: the same roles and cardinalities {@code cvr
 * convert csv} takes, applied when reading instead of converting.
 *
 * @param click the column of 0/1 click labels (8- or 32-bit integers)
 * @param conversion the column of 0/1 conversion labels
 * @param features the feature columns, in the log's order
 * @param group a column of 64-bit group ids, or null
 * @param truePropensity a float column of true propensities, or null (then also no true CVR)
 * @param trueCvr a float column of true CVRs, or null
 */
public record ColumnMapping(
        String click,
        String conversion,
        List<Column> features,
        String group,
        String truePropensity,
        String trueCvr) {
    public ColumnMapping {
        features = List.copyOf(features);
        if (click == null || conversion == null) {
            throw new IllegalArgumentException("A column mapping needs the click and conversion");
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("A column mapping needs at least one feature");
        }
        if ((truePropensity == null) != (trueCvr == null)) {
            throw new IllegalArgumentException(
                    "Ground truth needs both the true propensity and the true CVR column");
        }
        Map<String, String> roles = new HashMap<>();
        List<String[]> named = new ArrayList<>();
        named.add(new String[] {click, "click"});
        named.add(new String[] {conversion, "conversion"});
        named.add(new String[] {group, "group"});
        named.add(new String[] {truePropensity, "true propensity"});
        named.add(new String[] {trueCvr, "true CVR"});
        for (Column f : features) {
            named.add(new String[] {f.column(), "feature " + f.name()});
        }
        for (String[] n : named) {
            if (n[0] == null) {
                continue;
            }
            String before = roles.putIfAbsent(n[0], n[1]);
            if (before != null) {
                throw new IllegalArgumentException(
                        "Column '"
                                + n[0]
                                + "' is given as both the "
                                + before
                                + " and the "
                                + n[1]
                                + " column; one column can have one role only");
            }
        }
    }

    /**
     * One feature column.
     *
     * @param column the column's name in the file
     * @param name the feature's name in the log (not a reserved name)
     * @param role its role
     * @param cardinality the number of ids (ids lie in {@code [0, cardinality)}), at least 1
     * @param multiValued whether the column is a list of ids
     */
    public record Column(
            String column, String name, FieldRole role, long cardinality, boolean multiValued) {
        public Column {
            if (ReservedColumns.isReserved(name)) {
                throw new IllegalArgumentException(
                        "Column '"
                                + name
                                + "' is a label, group, truth or weight column and can"
                                + " never be a feature");
            }
            if (cardinality < 1) {
                throw new IllegalArgumentException(
                        "Feature '" + name + "': cardinality " + cardinality + " < 1");
            }
        }

        /** A single-valued column, named as in the file. */
        public static Column single(String column, FieldRole role, long cardinality) {
            return new Column(column, column, role, cardinality, false);
        }
    }

    /** Labels and features, without group or ground truth. */
    public static ColumnMapping of(String click, String conversion, List<Column> features) {
        return new ColumnMapping(click, conversion, features, null, null, null);
    }

    /** The log's schema this mapping promises. */
    public ExposureLogSchema schema() {
        List<FeatureField> fields = new ArrayList<>();
        for (Column c : features) {
            fields.add(new FeatureField(c.name(), c.role(), c.cardinality(), c.multiValued()));
        }
        return new ExposureLogSchema(
                new FeatureSchema(fields, group != null, truePropensity != null), Set.of());
    }

    /** For every column of the log, the file's column that holds it (log name to file name). */
    public Map<String, String> columnOf() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ReservedColumns.CLICK, click);
        out.put(ReservedColumns.CONVERSION, conversion);
        for (Column c : features) {
            out.put(c.name(), c.column());
        }
        if (group != null) {
            out.put(ReservedColumns.GROUP, group);
        }
        if (truePropensity != null) {
            out.put(ReservedColumns.TRUE_PROPENSITY, truePropensity);
            out.put(ReservedColumns.TRUE_CVR, trueCvr);
        }
        return out;
    }
}
