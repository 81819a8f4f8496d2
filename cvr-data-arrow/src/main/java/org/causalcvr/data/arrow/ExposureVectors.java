package org.causalcvr.data.arrow;

import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.ReservedColumns;

/** The vectors of a root that holds an exposure log, resolved once by name. */
final class ExposureVectors {
    final ExposureLogSchema schema;
    final VectorSchemaRoot root;
    final FieldVector click;
    final FieldVector conversion;
    final FieldVector[] features;
    final ListVector[] weights;
    final Float4Vector[] dense;
    final BigIntVector group;
    final Float4Vector truePropensity;
    final Float4Vector trueCvr;
    final Float4Vector propensity;

    ExposureVectors(ExposureLogSchema schema, VectorSchemaRoot root) {
        this(schema, root, Map.of());
    }

    /**
     * @param columnOf the root's column for a log column whose name differs (see {@link
     *     ColumnMapping#columnOf()}); a log column not in the map has its own name
     */
    ExposureVectors(ExposureLogSchema schema, VectorSchemaRoot root, Map<String, String> columnOf) {
        this.schema = schema;
        this.root = root;
        java.util.function.Function<String, FieldVector> col =
                name -> root.getVector(columnOf.getOrDefault(name, name));
        this.click = col.apply(ReservedColumns.CLICK);
        this.conversion = col.apply(ReservedColumns.CONVERSION);
        int n = schema.features().size();
        this.features = new FieldVector[n];
        this.weights = new ListVector[n];
        for (int f = 0; f < n; f++) {
            FeatureField field = schema.features().field(f);
            features[f] = col.apply(field.name());
            if (schema.weighted(field.name())) {
                weights[f] = (ListVector) col.apply(field.name() + ReservedColumns.WEIGHT_SUFFIX);
            }
        }
        this.dense = new Float4Vector[schema.features().dense().size()];
        for (int d = 0; d < dense.length; d++) {
            dense[d] = (Float4Vector) root.getVector(schema.features().dense().get(d).name());
        }
        this.group =
                schema.features().hasGroup()
                        ? (BigIntVector) col.apply(ReservedColumns.GROUP)
                        : null;
        this.truePropensity =
                schema.features().hasGroundTruth()
                        ? (Float4Vector) col.apply(ReservedColumns.TRUE_PROPENSITY)
                        : null;
        this.trueCvr =
                schema.features().hasGroundTruth()
                        ? (Float4Vector) col.apply(ReservedColumns.TRUE_CVR)
                        : null;
        this.propensity =
                schema.hasPropensity()
                        ? (Float4Vector) col.apply(ReservedColumns.PROPENSITY)
                        : null;
    }
}
