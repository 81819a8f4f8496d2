package org.causalcvr.data.arrow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.ReservedColumns;

/**
 * The Arrow schema of an exposure log, and its mapping to and from the {@link FeatureSchema} of
 * cvr-api.
 *
 * <p>Columns, in this order:
 *
 * <ul>
 *   <li>{@code click}, {@code conversion}: Int8 labels in {0, 1} (Int32 is accepted when reading);
 *       a conversion is 1 only where the click is 1;
 *   <li>one column per feature field, in the schema's order: Int32 ids in {@code [0, cardinality)}
 *       for a single-valued field, List&lt;Int32&gt; for a multi-valued field, followed for a
 *       weighted multi-valued field by {@code <field>_weight}: List&lt;Float32&gt; with the same
 *       offsets (one weight per id);
 *   <li>one Float32 column per dense field, in the schema's order, listed by the metadata key
 *       {@value #DENSE_KEY} as {@code name:role}, comma-separated (finite values);
 *   <li>optional {@code group}: Int64 (user or page view, for GAUC);
 *   <li>optional {@code true_propensity} and {@code true_cvr}: Float32 ground truth of synthetic
 *       data, in (0, 1] and [0, 1];
 *   <li>optional {@code propensity}: Float32 in (0, 1], an <em>estimated</em> click propensity p̂
 *       supplied with the data (read by {@code propensity=column}); how it was estimated is
 *       recorded under {@value #PROPENSITY_METHOD_KEY}.
 * </ul>
 *
 * No column may hold nulls. Which columns are features is decided by the schema metadata alone: the
 * key {@value #FEATURES_KEY} lists every feature as {@code name:role:cardinality[:multi
 * [:weighted]]}, comma-separated, in column order (so feature names may not contain {@code ,} or
 * {@code :}). A column that the metadata does not list is never read as a feature, and a metadata
 * entry naming a {@linkplain ReservedColumns reserved} column (a label such as {@code click} or
 * {@code purchase}) makes the file unreadable: a label can never become a feature.
 *
 * <p>Other metadata keys carry provenance and never change how the columns are read: a file drawn
 * from a synthetic world records the world's seed ({@value #WORLD_SEED_KEY}), a fingerprint of its
 * parameters ({@value #WORLD_PARAMETERS_KEY}) and the world rows it holds ({@value
 * #WORLD_FIRST_ROW_KEY}, {@value #WORLD_ROWS_KEY}); see {@code synth.WorldProvenance}.
 *
 * @param features the feature fields, group and ground-truth flags
 * @param weightedFields names of the multi-valued fields that carry a weight column
 * @param hasPropensity whether the log carries the estimated propensity column {@code propensity}
 */
public record ExposureLogSchema(
        FeatureSchema features, Set<String> weightedFields, boolean hasPropensity) {
    /** Schema metadata key listing the feature columns. */
    public static final String FEATURES_KEY = "causalcvr.features";

    /** Schema metadata key listing the dense (Float32) feature columns, if any. */
    public static final String DENSE_KEY = "causalcvr.dense";

    /** Schema metadata key holding the format version. */
    public static final String FORMAT_KEY = "causalcvr.format";

    /** The current format version. */
    public static final String FORMAT = "exposure-log/1";

    /** Schema metadata key: the seed of the synthetic world the rows were drawn from. */
    public static final String WORLD_SEED_KEY = "causalcvr.world.seed";

    /** Schema metadata key: fingerprint (hexadecimal) of the world's parameters, seed excluded. */
    public static final String WORLD_PARAMETERS_KEY = "causalcvr.world.parameters";

    /** Schema metadata key: the world's first row index in the file. */
    public static final String WORLD_FIRST_ROW_KEY = "causalcvr.world.first-row";

    /** Schema metadata key: the number of world rows in the file. */
    public static final String WORLD_ROWS_KEY = "causalcvr.world.rows";

    /**
     * Schema metadata key: how the {@code propensity} column was estimated, for example {@code
     * naive-bayes: ...} (provenance only).
     */
    public static final String PROPENSITY_METHOD_KEY = "causalcvr.propensity.method";

    /** Schema metadata key: the world's parameters in full (to rebuild it), seed excluded. */
    public static final String WORLD_CONFIG_KEY = "causalcvr.world.config";

    /** A schema without the estimated propensity column. */
    public ExposureLogSchema(FeatureSchema features, Set<String> weightedFields) {
        this(features, weightedFields, false);
    }

    public ExposureLogSchema {
        weightedFields = Set.copyOf(weightedFields);
        for (String w : weightedFields) {
            FeatureField f =
                    features.find(w)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "Weighted field '" + w + "' is not a feature"));
            if (!f.multiValued()) {
                throw new IllegalArgumentException(
                        "Field '" + w + "' is single-valued and cannot have weights");
            }
        }
        for (DenseField d : features.dense()) {
            if (d.name().contains(",") || d.name().contains(":")) {
                throw new IllegalArgumentException(
                        "Feature name '" + d.name() + "' may not contain ',' or ':'");
            }
        }
        for (FeatureField f : features.fields()) {
            if (f.name().contains(",") || f.name().contains(":")) {
                throw new IllegalArgumentException(
                        "Feature name '" + f.name() + "' may not contain ',' or ':'");
            }
            if (f.cardinality() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "Feature '"
                                + f.name()
                                + "' has cardinality "
                                + f.cardinality()
                                + "; Int32 ids allow at most "
                                + Integer.MAX_VALUE);
            }
        }
    }

    /** A schema without weight columns. */
    public static ExposureLogSchema of(FeatureSchema features) {
        return new ExposureLogSchema(features, Set.of());
    }

    /** The same schema with the estimated propensity column {@code propensity}. */
    public ExposureLogSchema withPropensity() {
        return new ExposureLogSchema(features, weightedFields, true);
    }

    /** Whether multi-valued field {@code name} has a weight column. */
    public boolean weighted(String name) {
        return weightedFields.contains(name);
    }

    /** The Arrow schema, with the feature metadata. */
    public Schema toArrow() {
        return toArrow(Map.of());
    }

    /**
     * The Arrow schema, with the feature metadata and {@code extra} key-value pairs (provenance,
     * such as the synthetic world a file was drawn from). Readers ignore keys they do not know.
     *
     * @throws IllegalArgumentException if {@code extra} names {@value #FEATURES_KEY} or {@value
     *     #FORMAT_KEY}
     */
    public Schema toArrow(Map<String, String> extra) {
        if (extra.containsKey(FEATURES_KEY)
                || extra.containsKey(FORMAT_KEY)
                || extra.containsKey(DENSE_KEY)) {
            throw new IllegalArgumentException(
                    "Extra metadata may not replace " + FEATURES_KEY + " or " + FORMAT_KEY);
        }
        List<Field> cols = new ArrayList<>();
        cols.add(notNull(ReservedColumns.CLICK, new ArrowType.Int(8, true)));
        cols.add(notNull(ReservedColumns.CONVERSION, new ArrowType.Int(8, true)));
        for (FeatureField f : features.fields()) {
            if (f.multiValued()) {
                cols.add(listOf(f.name(), new ArrowType.Int(32, true)));
                if (weighted(f.name())) {
                    cols.add(
                            listOf(
                                    f.name() + ReservedColumns.WEIGHT_SUFFIX,
                                    new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
                }
            } else {
                cols.add(notNull(f.name(), new ArrowType.Int(32, true)));
            }
        }
        for (DenseField d : features.dense()) {
            cols.add(notNull(d.name(), new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
        }
        if (features.hasGroup()) {
            cols.add(notNull(ReservedColumns.GROUP, new ArrowType.Int(64, true)));
        }
        if (features.hasGroundTruth()) {
            ArrowType f32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            cols.add(notNull(ReservedColumns.TRUE_PROPENSITY, f32));
            cols.add(notNull(ReservedColumns.TRUE_CVR, f32));
        }
        if (hasPropensity) {
            cols.add(
                    notNull(
                            ReservedColumns.PROPENSITY,
                            new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
        }
        Map<String, String> meta = new HashMap<>(extra);
        meta.put(FORMAT_KEY, FORMAT);
        meta.put(FEATURES_KEY, describeFeatures());
        if (!features.dense().isEmpty()) {
            meta.put(
                    DENSE_KEY,
                    String.join(
                            ",",
                            features.dense().stream()
                                    .map(
                                            d ->
                                                    d.name()
                                                            + ":"
                                                            + d.role()
                                                                    .name()
                                                                    .toLowerCase(Locale.ROOT))
                                    .toList()));
        }
        return new Schema(cols, meta);
    }

    private String describeFeatures() {
        List<String> parts = new ArrayList<>();
        for (FeatureField f : features.fields()) {
            parts.add(
                    f.name()
                            + ":"
                            + f.role().name().toLowerCase(Locale.ROOT)
                            + ":"
                            + f.cardinality()
                            + (f.multiValued() ? ":multi" : "")
                            + (weighted(f.name()) ? ":weighted" : ""));
        }
        return String.join(",", parts);
    }

    private static Field notNull(String name, ArrowType type) {
        return new Field(name, FieldType.notNullable(type), null);
    }

    private static Field listOf(String name, ArrowType element) {
        Field item = new Field("item", FieldType.notNullable(element), null);
        return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(item));
    }

    /**
     * Reads the exposure-log schema of an Arrow schema, checking that every column the metadata
     * promises is present with the right type.
     *
     * @param source the file (or stream) name, for messages
     * @throws DataException naming the source and the column when the schema is not an exposure log
     */
    public static ExposureLogSchema fromArrow(Schema schema, String source) {
        Map<String, String> meta = schema.getCustomMetadata();
        String spec = meta == null ? null : meta.get(FEATURES_KEY);
        if (spec == null) {
            throw new DataException(
                    source
                            + ": no '"
                            + FEATURES_KEY
                            + "' schema metadata; not an exposure log (convert it with a converter"
                            + " first)");
        }
        if (spec.isBlank()) {
            throw new DataException(source + ": metadata '" + FEATURES_KEY + "' lists no feature");
        }
        Map<String, Field> byName = new HashMap<>();
        for (Field f : schema.getFields()) {
            if (byName.put(f.getName(), f) != null) {
                throw new DataException(
                        source + ", column '" + f.getName() + "': appears twice in the schema");
            }
        }
        requireLabel(byName, ReservedColumns.CLICK, source);
        requireLabel(byName, ReservedColumns.CONVERSION, source);

        List<FeatureField> fields = new ArrayList<>();
        Set<String> weighted = new LinkedHashSet<>();
        for (String entry : spec.split(",", -1)) {
            String[] p = entry.split(":", -1);
            String name = p[0];
            if (ReservedColumns.isReserved(name)) {
                throw new DataException(
                        source
                                + ", column '"
                                + name
                                + "': the metadata lists a label, group, truth or weight column as"
                                + " a feature; a label can never be a feature");
            }
            if (p.length < 3 || p.length > 5) {
                throw new DataException(
                        source
                                + ": metadata entry '"
                                + entry
                                + "' is not name:role:cardinality[:multi[:weighted]]");
            }
            FieldRole role;
            try {
                role = FieldRole.valueOf(p[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DataException(
                        source
                                + ", column '"
                                + name
                                + "': unknown role '"
                                + p[1]
                                + "'; known: context, cross, item, user");
            }
            long card;
            try {
                card = Long.parseLong(p[2]);
            } catch (NumberFormatException e) {
                card = -1;
            }
            if (card < 1 || card > Integer.MAX_VALUE) {
                throw new DataException(
                        source
                                + ", column '"
                                + name
                                + "': cardinality '"
                                + p[2]
                                + "' is not in [1, "
                                + Integer.MAX_VALUE
                                + "]");
            }
            boolean multi = p.length >= 4 && p[3].equals("multi");
            boolean w = p.length == 5 && p[4].equals("weighted");
            if ((p.length >= 4 && !multi) || (p.length == 5 && !w)) {
                throw new DataException(
                        source + ": metadata entry '" + entry + "' has unknown flags");
            }
            Field col = byName.get(name);
            if (col == null) {
                throw new DataException(
                        source + ", column '" + name + "': listed as a feature but missing");
            }
            if (multi) {
                requireList(col, ArrowType.ArrowTypeID.Int, 32, source);
                if (w) {
                    String wn = name + ReservedColumns.WEIGHT_SUFFIX;
                    Field wc = byName.get(wn);
                    if (wc == null) {
                        throw new DataException(
                                source + ", column '" + wn + "': weight column missing");
                    }
                    requireList(wc, ArrowType.ArrowTypeID.FloatingPoint, 32, source);
                    weighted.add(name);
                }
            } else {
                requireInt(col, 32, source);
            }
            try {
                fields.add(new FeatureField(name, role, card, multi));
            } catch (IllegalArgumentException e) {
                throw new DataException(source + ", column '" + name + "': " + e.getMessage());
            }
        }
        List<DenseField> dense = new ArrayList<>();
        String denseSpec = meta.get(DENSE_KEY);
        if (denseSpec != null && !denseSpec.isBlank()) {
            for (String entry : denseSpec.split(",", -1)) {
                String[] p = entry.split(":", -1);
                if (p.length != 2 || ReservedColumns.isReserved(p[0])) {
                    throw new DataException(
                            source
                                    + ": metadata entry '"
                                    + entry
                                    + "' of '"
                                    + DENSE_KEY
                                    + "' is not name:role of a feature column");
                }
                FieldRole role;
                try {
                    role = FieldRole.valueOf(p[1].toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new DataException(
                            source
                                    + ", column '"
                                    + p[0]
                                    + "': unknown role '"
                                    + p[1]
                                    + "'; known: context, cross, item, user");
                }
                Field col = byName.get(p[0]);
                if (col == null) {
                    throw new DataException(
                            source + ", column '" + p[0] + "': listed as dense but missing");
                }
                requireFloat32(col, source);
                dense.add(new DenseField(p[0], role));
            }
        }
        boolean group = byName.containsKey(ReservedColumns.GROUP);
        if (group) {
            requireInt(byName.get(ReservedColumns.GROUP), 64, source);
        }
        boolean p = byName.containsKey(ReservedColumns.TRUE_PROPENSITY);
        boolean c = byName.containsKey(ReservedColumns.TRUE_CVR);
        if (p != c) {
            throw new DataException(
                    source
                            + ", column '"
                            + (p ? ReservedColumns.TRUE_CVR : ReservedColumns.TRUE_PROPENSITY)
                            + "': missing (ground truth needs both true_propensity and true_cvr)");
        }
        if (p) {
            requireFloat32(byName.get(ReservedColumns.TRUE_PROPENSITY), source);
            requireFloat32(byName.get(ReservedColumns.TRUE_CVR), source);
        }
        boolean estimated = byName.containsKey(ReservedColumns.PROPENSITY);
        if (estimated) {
            requireFloat32(byName.get(ReservedColumns.PROPENSITY), source);
        }
        try {
            return new ExposureLogSchema(
                    new FeatureSchema(fields, group, p, dense), weighted, estimated);
        } catch (IllegalArgumentException e) {
            throw new DataException(source + ": " + e.getMessage());
        }
    }

    private static void requireLabel(Map<String, Field> byName, String name, String source) {
        Field f = byName.get(name);
        if (f == null) {
            throw new DataException(source + ", column '" + name + "': missing");
        }
        if (!(f.getType() instanceof ArrowType.Int t)
                || !(t.getBitWidth() == 8 || t.getBitWidth() == 32)) {
            throw new DataException(
                    source
                            + ", column '"
                            + name
                            + "': type "
                            + f.getType()
                            + ", expected Int8 or Int32");
        }
    }

    private static void requireInt(Field f, int bits, String source) {
        if (!(f.getType() instanceof ArrowType.Int t)
                || t.getBitWidth() != bits
                || !t.getIsSigned()) {
            throw new DataException(
                    source
                            + ", column '"
                            + f.getName()
                            + "': type "
                            + f.getType()
                            + ", expected Int"
                            + bits);
        }
    }

    private static void requireFloat32(Field f, String source) {
        if (!(f.getType() instanceof ArrowType.FloatingPoint t)
                || t.getPrecision() != FloatingPointPrecision.SINGLE) {
            throw new DataException(
                    source
                            + ", column '"
                            + f.getName()
                            + "': type "
                            + f.getType()
                            + ", expected Float32");
        }
    }

    private static void requireList(
            Field f, ArrowType.ArrowTypeID element, int bits, String source) {
        boolean ok = f.getType() instanceof ArrowType.List && f.getChildren().size() == 1;
        if (ok) {
            ArrowType child = f.getChildren().get(0).getType();
            ok =
                    child.getTypeID() == element
                            && (child instanceof ArrowType.Int i
                                    ? i.getBitWidth() == bits && i.getIsSigned()
                                    : child instanceof ArrowType.FloatingPoint fp
                                            && fp.getPrecision() == FloatingPointPrecision.SINGLE);
        }
        if (!ok) {
            throw new DataException(
                    source
                            + ", column '"
                            + f.getName()
                            + "': type "
                            + f.getType()
                            + (f.getChildren().isEmpty()
                                    ? ""
                                    : "<" + f.getChildren().get(0).getType() + ">")
                            + ", expected List<"
                            + (element == ArrowType.ArrowTypeID.Int ? "Int32" : "Float32")
                            + ">");
        }
    }
}
