package org.causalcvr.experiments;

import java.util.List;
import java.util.SplittableRandom;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.data.MultiValuedArrays;

/**
 * A tiny confounded world held in memory, with ground truth: a user and an item field whose ids
 * have click and conversion effects that share an interest, so clicked rows convert more often than
 * the population would. Rows {@code [first, first + n)} of one world are reproducible draws.
 */
final class TinyWorld {
    static final FeatureSchema SCHEMA =
            new FeatureSchema(
                    List.of(
                            FeatureField.single("user", FieldRole.USER, 40),
                            FeatureField.single("item", FieldRole.ITEM, 60)),
                    false,
                    true);

    private final double[][] click = new double[2][];
    private final double[][] conversion = new double[2][];
    private final long seed;

    TinyWorld(long seed) {
        this.seed = seed;
        var effects = new SplittableRandom(seed);
        for (int f = 0; f < 2; f++) {
            int card = (int) SCHEMA.field(f).cardinality();
            click[f] = new double[card];
            conversion[f] = new double[card];
            for (int i = 0; i < card; i++) {
                double interest = gauss(effects);
                click[f][i] = 0.5 * interest + 0.5 * gauss(effects);
                conversion[f][i] = 0.9 * interest + 0.6 * gauss(effects);
            }
        }
    }

    /** Rows {@code [first, first + rows)} as a source streamed in batches of 500. */
    InMemoryExposureSource rows(long first, int rows) {
        var random = new SplittableRandom(seed * 1_000_003L + first);
        int[] clicks = new int[rows];
        int[] conversions = new int[rows];
        int[][] ids = new int[2][rows];
        float[] propensity = new float[rows];
        float[] cvr = new float[rows];
        for (int r = 0; r < rows; r++) {
            double c = -0.8;
            double v = -0.7;
            for (int f = 0; f < 2; f++) {
                int id = random.nextInt(click[f].length);
                ids[f][r] = id;
                c += click[f][id];
                v += conversion[f][id];
            }
            double p = sigmoid(c);
            double q = sigmoid(v);
            propensity[r] = (float) Math.max(1e-4, p);
            cvr[r] = (float) q;
            clicks[r] = random.nextDouble() < p ? 1 : 0;
            conversions[r] = clicks[r] == 1 && random.nextDouble() < q ? 1 : 0;
        }
        var batch =
                new ArrayExposureBatch(
                        SCHEMA,
                        clicks,
                        conversions,
                        ids,
                        new MultiValuedArrays[2],
                        null,
                        propensity,
                        cvr);
        return new InMemoryExposureSource(
                batch,
                500,
                "tiny world " + seed + ", rows [" + first + ", " + (first + rows) + ")");
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double gauss(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
