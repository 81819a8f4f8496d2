package org.causalcvr.data.arrow;

import java.util.Optional;
import org.apache.arrow.vector.complex.ListVector;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FloatColumn;
import org.causalcvr.api.data.IntColumn;
import org.causalcvr.api.data.LongColumn;
import org.causalcvr.api.data.MultiValuedColumn;

/**
 * An {@link ExposureBatch} view over the vectors of one loaded Arrow record batch. The column
 * objects are built once per batch; reading a value goes straight to the Arrow buffer. Valid only
 * until the cursor that produced it moves on or closes.
 */
final class ArrowExposureBatch implements ExposureBatch {
    private final FeatureSchema schema;
    private final int size;
    private final IntColumn clicks;
    private final IntColumn conversions;
    private final IntColumn[] single;
    private final MultiValuedColumn[] multi;
    private final FloatColumn[] dense;
    private final Optional<LongColumn> groups;
    private final Optional<FloatColumn> truePropensity;
    private final Optional<FloatColumn> trueCvr;
    private final Optional<FloatColumn> propensity;

    ArrowExposureBatch(ExposureVectors v, int size) {
        this.schema = v.schema.features();
        this.size = size;
        this.clicks = ArrowColumns.ints(v.click);
        this.conversions = ArrowColumns.ints(v.conversion);
        int n = schema.size();
        this.single = new IntColumn[n];
        this.multi = new MultiValuedColumn[n];
        for (int f = 0; f < n; f++) {
            if (schema.field(f).multiValued()) {
                multi[f] = ArrowColumns.lists((ListVector) v.features[f], v.weights[f]);
            } else {
                single[f] = ArrowColumns.ints(v.features[f]);
            }
        }
        this.dense = new FloatColumn[v.dense.length];
        for (int d = 0; d < dense.length; d++) {
            dense[d] = ArrowColumns.floats(v.dense[d]);
        }
        this.groups = v.group == null ? Optional.empty() : Optional.of(ArrowColumns.longs(v.group));
        this.truePropensity =
                v.truePropensity == null
                        ? Optional.empty()
                        : Optional.of(ArrowColumns.floats(v.truePropensity));
        this.trueCvr =
                v.trueCvr == null ? Optional.empty() : Optional.of(ArrowColumns.floats(v.trueCvr));
        this.propensity =
                v.propensity == null
                        ? Optional.empty()
                        : Optional.of(ArrowColumns.floats(v.propensity));
    }

    @Override
    public FeatureSchema schema() {
        return schema;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public IntColumn clicks() {
        return clicks;
    }

    @Override
    public IntColumn conversions() {
        return conversions;
    }

    @Override
    public IntColumn feature(int fieldIndex) {
        IntColumn c = single[fieldIndex];
        if (c == null) {
            throw new IllegalArgumentException(
                    "Field '" + schema.field(fieldIndex).name() + "' is multi-valued");
        }
        return c;
    }

    @Override
    public MultiValuedColumn multiValuedFeature(int fieldIndex) {
        MultiValuedColumn c = multi[fieldIndex];
        if (c == null) {
            throw new IllegalArgumentException(
                    "Field '" + schema.field(fieldIndex).name() + "' is single-valued");
        }
        return c;
    }

    @Override
    public FloatColumn denseFeature(int denseIndex) {
        if (denseIndex < 0 || denseIndex >= dense.length) {
            return ExposureBatch.super.denseFeature(denseIndex);
        }
        return dense[denseIndex];
    }

    @Override
    public Optional<LongColumn> groups() {
        return groups;
    }

    @Override
    public Optional<FloatColumn> truePropensity() {
        return truePropensity;
    }

    @Override
    public Optional<FloatColumn> trueCvr() {
        return trueCvr;
    }

    @Override
    public Optional<FloatColumn> propensity() {
        return propensity;
    }
}
