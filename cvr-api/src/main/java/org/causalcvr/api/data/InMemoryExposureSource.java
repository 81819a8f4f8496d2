package org.causalcvr.api.data;

import java.util.OptionalLong;

/**
 * An {@link ExposureSource} over one {@link ArrayExposureBatch}, streamed in slices of a fixed
 * number of rows. For tests and small data; large data comes from the Arrow readers.
 */
public final class InMemoryExposureSource implements ExposureSource {
    private final ArrayExposureBatch data;
    private final int batchRows;
    private final String description;

    public InMemoryExposureSource(ArrayExposureBatch data, int batchRows, String description) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, got " + batchRows);
        }
        this.data = data;
        this.batchRows = batchRows;
        this.description = description;
    }

    /** All rows, in memory. */
    public ArrayExposureBatch data() {
        return data;
    }

    @Override
    public FeatureSchema schema() {
        return data.schema();
    }

    @Override
    public OptionalLong rowCount() {
        return OptionalLong.of(data.size());
    }

    @Override
    public BatchCursor open() {
        return new BatchCursor() {
            private int next = 0;
            private ArrayExposureBatch current;

            @Override
            public boolean next() {
                if (next >= data.size()) {
                    current = null;
                    return false;
                }
                int end = Math.min(data.size(), next + batchRows);
                current = data.slice(next, end);
                next = end;
                return true;
            }

            @Override
            public ExposureBatch batch() {
                if (current == null) {
                    throw new IllegalStateException("No current batch: call next() first");
                }
                return current;
            }

            @Override
            public void close() {
                current = null;
            }
        };
    }

    @Override
    public String fingerprint() {
        int h = data.schema().describe().hashCode();
        h = 31 * h + java.util.Arrays.hashCode(data.clickLabels());
        h = 31 * h + java.util.Arrays.hashCode(data.conversionLabels());
        for (int[] ids : data.singleValued()) {
            h = 31 * h + java.util.Arrays.hashCode(ids);
        }
        for (float[] values : data.denseValues()) {
            h = 31 * h + java.util.Arrays.hashCode(values);
        }
        return "mem-" + data.size() + "-" + Integer.toHexString(h);
    }

    @Override
    public String description() {
        return description;
    }
}
