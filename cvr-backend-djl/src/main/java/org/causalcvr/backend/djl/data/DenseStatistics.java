package org.causalcvr.backend.djl.data;

import java.util.ArrayList;
import java.util.List;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.backend.djl.model.DenseInput;
import org.causalcvr.backend.djl.model.DenseTransform;

/**
 * The {@link DenseInput} of a training set: one pass over the data in its order, with the mean and
 * (population) standard deviation of every dense field's shaped values t(x) by Welford's algorithm
 * in double precision, so the same data gives the same statistics bit for bit. A field whose
 * standard deviation is 0 (or the data has no row) gets scale 1.
 */
public final class DenseStatistics {
    private DenseStatistics() {}

    /**
     * The dense input of {@code transform} for {@code source}: {@link DenseInput#NONE} when off or
     * when the schema has no dense field (no pass over the data then).
     *
     * @throws DataException naming the source, column and row of a value that is not finite
     */
    public static DenseInput of(ExposureSource source, DenseTransform transform) {
        FeatureSchema schema = source.schema();
        int k = schema.dense().size();
        if (transform == DenseTransform.OFF || k == 0) {
            return DenseInput.NONE;
        }
        long count = 0;
        double[] mean = new double[k];
        double[] m2 = new double[k];
        float[] values = new float[0];
        try (BatchCursor cursor = source.open()) {
            while (cursor.next()) {
                ExposureBatch batch = cursor.batch();
                int n = batch.size();
                if (values.length < n) {
                    values = new float[n];
                }
                for (int d = 0; d < k; d++) {
                    batch.denseFeature(d).copyTo(0, values, 0, n);
                    long seen = count;
                    for (int i = 0; i < n; i++) {
                        float x = values[i];
                        if (!Float.isFinite(x)) {
                            throw new DataException(
                                    source.description()
                                            + ", column '"
                                            + schema.dense().get(d).name()
                                            + "', row "
                                            + (count + i)
                                            + ": "
                                            + x
                                            + " is not a finite number (dense values must be"
                                            + " finite)");
                        }
                        double t = transform.shape(x);
                        seen++;
                        double delta = t - mean[d];
                        mean[d] += delta / seen;
                        m2[d] += delta * (t - mean[d]);
                    }
                }
                count += n;
            }
        }
        var columns = new ArrayList<DenseInput.Column>();
        for (int d = 0; d < k; d++) {
            double sd = count == 0 ? 0 : Math.sqrt(m2[d] / count);
            columns.add(
                    new DenseInput.Column(
                            schema.dense().get(d).name(),
                            mean[d],
                            sd > 0 && Double.isFinite(sd) ? sd : 1.0));
        }
        return new DenseInput(transform, List.copyOf(columns));
    }
}
