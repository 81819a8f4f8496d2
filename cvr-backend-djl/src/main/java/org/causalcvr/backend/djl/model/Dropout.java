package org.causalcvr.backend.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Inverted dropout on a tower's hidden units while it trains: each unit of each row is zeroed with
 * probability {@code rate} and the others are scaled by {@code 1/(1 - rate)}, so a unit's expected
 * value is unchanged and nothing is done at prediction time.
 *
 * <p>The masks are not drawn from the engine's random state but hashed (SplitMix64) from the seed,
 * the tower, its optimisation step, the layer, the row's place in the batch and the unit. So a run
 * resumed from a checkpoint (which keeps each tower's step count) draws the masks it would have
 * drawn without stopping, a tower run on the clicked rows only draws for each row the mask of its
 * place in the whole batch, and the thread count changes nothing: the same bytes either way.
 *
 * @param rate the share of hidden units zeroed, in [0, 1)
 * @param seed the run's seed, mixed with the tower's name
 */
public record Dropout(double rate, long seed) {
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    public Dropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout rate " + rate + " is outside [0, 1)");
        }
    }

    /** This dropout for the tower named {@code tower} (each tower draws its own masks). */
    public Dropout forTower(String tower) {
        return new Dropout(rate, mix(seed + tower.hashCode() * GOLDEN));
    }

    /**
     * The mask of hidden layer {@code layer} at optimisation step {@code step}, shape (n, width),
     * for rows at {@code places} of the batch ({@code null}: places 0 to n-1).
     */
    public NDArray mask(NDManager manager, long step, int layer, int[] places, int n, int width) {
        float keep = (float) (1 / (1 - rate));
        long threshold = (long) Math.ceil(rate * (1L << 24));
        long base = mix(mix(seed + step * GOLDEN) + layer * GOLDEN);
        float[] values = new float[n * width];
        for (int i = 0; i < n; i++) {
            long row = mix(base + (places == null ? i : places[i]) * GOLDEN);
            for (int u = 0; u < width; u++) {
                long h = mix(row + (u + 1) * GOLDEN);
                values[i * width + u] = (h >>> 40) >= threshold ? keep : 0f;
            }
        }
        return manager.create(values, new Shape(n, width));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
