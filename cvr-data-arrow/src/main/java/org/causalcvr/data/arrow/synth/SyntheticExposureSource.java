package org.causalcvr.data.arrow.synth;

import java.util.Arrays;
import java.util.OptionalLong;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.MultiValuedArrays;

/**
 * A synthetic world as an {@link ExposureSource}, generated on the fly with no file: every {@link
 * #open()} yields the same rows (those {@link SyntheticWorld#write} would write), one heap batch at
 * a time.
 */
public final class SyntheticExposureSource implements ExposureSource {
    private final SyntheticWorld world;
    private final long rows;
    private final int batchRows;

    SyntheticExposureSource(SyntheticWorld world, long rows, int batchRows) {
        if (rows < 1 || batchRows < 1) {
            throw new IllegalArgumentException(
                    "rows and batchRows must be at least 1, got " + rows + " and " + batchRows);
        }
        this.world = world;
        this.rows = rows;
        this.batchRows = batchRows;
    }

    @Override
    public FeatureSchema schema() {
        return world.schema().features();
    }

    @Override
    public OptionalLong rowCount() {
        return OptionalLong.of(rows);
    }

    @Override
    public BatchCursor open() {
        FieldSpec[] specs = world.specs();
        Chunk chunk = new Chunk(specs, (int) Math.min(batchRows, rows));
        return new BatchCursor() {
            private long next;
            private ExposureBatch current;

            @Override
            public boolean next() {
                current = null;
                if (next >= rows) {
                    return false;
                }
                int n = (int) Math.min(chunk.capacity, rows - next);
                world.generate(next, n, chunk);
                next += n;
                current = toBatch(specs, chunk, n);
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

    private ExposureBatch toBatch(FieldSpec[] specs, Chunk c, int n) {
        int[] click = new int[n];
        int[] conv = new int[n];
        for (int r = 0; r < n; r++) {
            click[r] = c.click[r];
            conv[r] = c.conversion[r];
        }
        int[][] single = new int[specs.length][];
        MultiValuedArrays[] multi = new MultiValuedArrays[specs.length];
        for (int f = 0; f < specs.length; f++) {
            if (specs[f].multiValued()) {
                int[] off = Arrays.copyOf(c.listOffsets[f], n + 1);
                multi[f] =
                        new MultiValuedArrays(
                                off,
                                Arrays.copyOf(c.listIds[f], off[n]),
                                Arrays.copyOf(c.listWeights[f], off[n]));
            } else {
                single[f] = Arrays.copyOf(c.ids[f], n);
            }
        }
        return new ArrayExposureBatch(
                schema(),
                click,
                conv,
                single,
                multi,
                Arrays.copyOf(c.group, n),
                Arrays.copyOf(c.truePropensity, n),
                Arrays.copyOf(c.trueCvr, n));
    }

    @Override
    public String fingerprint() {
        return "synthetic-"
                + Integer.toHexString(world.config().toString().hashCode())
                + "-"
                + rows;
    }

    @Override
    public String description() {
        return "synthetic world (seed " + world.config().seed() + ", " + rows + " rows)";
    }
}
