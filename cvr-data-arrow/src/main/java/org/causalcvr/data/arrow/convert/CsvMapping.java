package org.causalcvr.data.arrow.convert;

import java.util.List;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.data.arrow.ConversionPolicy;

/**
 * How the columns of a CSV file (with a header line) map to an exposure log.
 *
 * @param delimiter the field separator, for example {@code ','} or {@code '\t'}
 * @param clickColumn the header name of the 0/1 click label
 * @param conversionColumn the header name of the 0/1 conversion label
 * @param features the feature columns, in output order
 * @param groupColumn the header name of an integer group id, or null
 * @param truePropensityColumn header name of the true propensity, or null (then also no true CVR)
 * @param trueCvrColumn header name of the true CVR, or null
 * @param conversionWithoutClick what to do with a row converting without a click
 * @param dense the dense (real-valued) feature columns, in output order
 */
public record CsvMapping(
        char delimiter,
        String clickColumn,
        String conversionColumn,
        List<Feature> features,
        String groupColumn,
        String truePropensityColumn,
        String trueCvrColumn,
        ConversionPolicy conversionWithoutClick,
        List<Dense> dense) {
    /** A mapping without dense columns. */
    public CsvMapping(
            char delimiter,
            String clickColumn,
            String conversionColumn,
            List<Feature> features,
            String groupColumn,
            String truePropensityColumn,
            String trueCvrColumn,
            ConversionPolicy conversionWithoutClick) {
        this(
                delimiter,
                clickColumn,
                conversionColumn,
                features,
                groupColumn,
                truePropensityColumn,
                trueCvrColumn,
                conversionWithoutClick,
                List.of());
    }

    public CsvMapping {
        features = List.copyOf(features);
        dense = List.copyOf(dense);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("A CSV mapping needs at least one feature column");
        }
        if ((truePropensityColumn == null) != (trueCvrColumn == null)) {
            throw new IllegalArgumentException(
                    "Ground truth needs both truePropensityColumn and trueCvrColumn");
        }
        java.util.Map<String, String> roles = new java.util.HashMap<>();
        String[][] named = {
            {clickColumn, "click"},
            {conversionColumn, "conversion"},
            {groupColumn, "group"},
            {truePropensityColumn, "true propensity"},
            {trueCvrColumn, "true CVR"}
        };
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
        for (Dense d : dense) {
            if (d.column().equals(clickColumn) || d.column().equals(conversionColumn)) {
                throw new IllegalArgumentException(
                        "Column '" + d.column() + "' is a label and can never be a feature");
            }
        }
        for (Feature f : features) {
            if (f.column().equals(clickColumn) || f.column().equals(conversionColumn)) {
                throw new IllegalArgumentException(
                        "Column '" + f.column() + "' is a label and can never be a feature");
            }
        }
    }

    /**
     * One feature column.
     *
     * @param column the header name in the CSV
     * @param name the feature's name in the exposure log (not a reserved name)
     * @param role its role
     * @param cardinality the declared number of ids (ids must lie in {@code [0, cardinality)}), or
     *     0 to use the largest id seen in the inputs plus one (costs one more pass)
     * @param listSeparator for a multi-valued column, the separator of ids inside the field (for
     *     example {@code '|'}); 0 for a single-valued column
     */
    public record Feature(
            String column, String name, FieldRole role, long cardinality, char listSeparator) {
        public Feature {
            if (ReservedColumns.isReserved(name)) {
                throw new IllegalArgumentException(
                        "Column '"
                                + name
                                + "' is a label, group, truth or weight column and can"
                                + " never be a feature");
            }
            if (cardinality < 0) {
                throw new IllegalArgumentException(
                        "Feature '" + name + "': cardinality " + cardinality + " < 0");
            }
        }

        /** A single-valued column, named as in the CSV. */
        public static Feature single(String column, FieldRole role, long cardinality) {
            return new Feature(column, column, role, cardinality, (char) 0);
        }

        public boolean multiValued() {
            return listSeparator != 0;
        }
    }

    /**
     * One dense feature column: a finite number per row.
     *
     * @param column the header name in the CSV
     * @param name the feature's name in the exposure log (not a reserved name)
     * @param role its role
     */
    public record Dense(String column, String name, FieldRole role) {
        public Dense {
            if (ReservedColumns.isReserved(name)) {
                throw new IllegalArgumentException(
                        "Column '"
                                + name
                                + "' is a label, group, truth or weight column and can"
                                + " never be a feature");
            }
        }

        /** A dense column, named as in the CSV. */
        public static Dense of(String column, FieldRole role) {
            return new Dense(column, column, role);
        }
    }

    /** The same mapping with the dense columns {@code columns}. */
    public CsvMapping withDense(List<Dense> columns) {
        return new CsvMapping(
                delimiter,
                clickColumn,
                conversionColumn,
                features,
                groupColumn,
                truePropensityColumn,
                trueCvrColumn,
                conversionWithoutClick,
                columns);
    }

    /** A comma-separated mapping without group or ground truth, failing on orphan conversions. */
    public static CsvMapping of(String click, String conversion, List<Feature> features) {
        return new CsvMapping(
                ',', click, conversion, features, null, null, null, ConversionPolicy.FAIL);
    }

    public CsvMapping withGroup(String column) {
        return new CsvMapping(
                delimiter,
                clickColumn,
                conversionColumn,
                features,
                column,
                truePropensityColumn,
                trueCvrColumn,
                conversionWithoutClick,
                dense);
    }

    public CsvMapping withPolicy(ConversionPolicy policy) {
        return new CsvMapping(
                delimiter,
                clickColumn,
                conversionColumn,
                features,
                groupColumn,
                truePropensityColumn,
                trueCvrColumn,
                policy,
                dense);
    }

    public CsvMapping withDelimiter(char d) {
        return new CsvMapping(
                d,
                clickColumn,
                conversionColumn,
                features,
                groupColumn,
                truePropensityColumn,
                trueCvrColumn,
                conversionWithoutClick,
                dense);
    }

    public CsvMapping withGroundTruth(String truePropensity, String trueCvr) {
        return new CsvMapping(
                delimiter,
                clickColumn,
                conversionColumn,
                features,
                groupColumn,
                truePropensity,
                trueCvr,
                conversionWithoutClick,
                dense);
    }
}
