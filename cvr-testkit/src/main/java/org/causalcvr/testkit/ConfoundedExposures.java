package org.causalcvr.testkit;

import java.util.ArrayList;
import java.util.SplittableRandom;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.data.MultiValuedArrays;

/**
 * A small exposure log with known ground truth, as an in-memory source a backend can train on: for
 * training a plugin's estimator end to end in its own tests, without files.
 *
 * <p>Every id of every (single-valued) field has a click effect a and a conversion effect b; a
 * row's click and conversion logits are the sums over its ids plus a noise ε shared by both:
 *
 * <pre>
 *   p = σ(−1.5 + Σ a + c·ε),   q = σ(−1 + Σ b + c·ε),   o ~ Bernoulli(p),   r ~ o·Bernoulli(q)
 * </pre>
 *
 * where each a and b share a common component with weight c (the confounding): with c &gt; 0,
 * clicked rows convert more often than the unclicked would have (missing not at random), the bias
 * the paper's estimators correct; with c = 0 clicks and conversions are independent. The true p and
 * q of every row are recorded ({@code true_propensity}, {@code true_cvr}). Ids are skewed towards
 * small values, as in real logs. Same arguments, same rows.
 */
public final class ConfoundedExposures {
    private ConfoundedExposures() {}

    /**
     * A schema of single-valued fields {@code f0, f1, …} with these cardinalities (user fields at
     * even positions, item fields at odd ones) and ground-truth columns.
     */
    public static FeatureSchema schema(int... cardinalities) {
        var fields = new ArrayList<FeatureField>();
        for (int f = 0; f < cardinalities.length; f++) {
            fields.add(
                    new FeatureField(
                            "f" + f,
                            f % 2 == 0 ? FieldRole.USER : FieldRole.ITEM,
                            cardinalities[f],
                            false));
        }
        return new FeatureSchema(fields, false, true);
    }

    /**
     * The rows of a world.
     *
     * @param schema single-valued fields (see {@link #schema})
     * @param confounding c ≥ 0, how strongly clicks and conversions share their causes
     * @param rows the number of exposures, at least 1
     * @param seed the world's seed: ids' effects and every draw come from it
     */
    public static ArrayExposureBatch generate(
            FeatureSchema schema, double confounding, int rows, long seed) {
        if (!(confounding >= 0) || Double.isInfinite(confounding)) {
            throw new IllegalArgumentException("confounding " + confounding + " outside [0, +inf)");
        }
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be at least 1, got " + rows);
        }
        int fields = schema.size();
        var random = new SplittableRandom(seed);
        double[][] clickEffect = new double[fields][];
        double[][] conversionEffect = new double[fields][];
        for (int f = 0; f < fields; f++) {
            if (schema.field(f).multiValued()) {
                throw new IllegalArgumentException(
                        "field '" + schema.field(f).name() + "' is multi-valued; only single");
            }
            int cardinality = Math.toIntExact(schema.field(f).cardinality());
            clickEffect[f] = new double[cardinality];
            conversionEffect[f] = new double[cardinality];
            for (int id = 0; id < cardinality; id++) {
                double shared = gauss(random);
                clickEffect[f][id] = 0.6 * gauss(random) + 0.5 * confounding * shared;
                conversionEffect[f][id] = 0.6 * gauss(random) + 0.5 * confounding * shared;
            }
        }
        int[] clicks = new int[rows];
        int[] conversions = new int[rows];
        float[] propensity = new float[rows];
        float[] cvr = new float[rows];
        int[][] ids = new int[fields][rows];
        for (int r = 0; r < rows; r++) {
            double clickLogit = -1.5;
            double conversionLogit = -1.0;
            for (int f = 0; f < fields; f++) {
                int cardinality = clickEffect[f].length;
                int id =
                        (int)
                                Math.min(
                                        cardinality - 1,
                                        Math.floor(cardinality * Math.pow(random.nextDouble(), 2)));
                ids[f][r] = id;
                clickLogit += clickEffect[f][id];
                conversionLogit += conversionEffect[f][id];
            }
            double noise = confounding * gauss(random);
            double p = sigmoid(clickLogit + noise);
            double q = sigmoid(conversionLogit + noise);
            propensity[r] = (float) Math.max(1e-6, p);
            cvr[r] = (float) q;
            clicks[r] = random.nextDouble() < p ? 1 : 0;
            conversions[r] = clicks[r] == 1 && random.nextDouble() < q ? 1 : 0;
        }
        return new ArrayExposureBatch(
                schema,
                clicks,
                conversions,
                ids,
                new MultiValuedArrays[fields],
                null,
                propensity,
                cvr);
    }

    /**
     * A small default world, streamed in batches of {@code batchRows}: four fields of 30, 20, 200
     * and 8 ids, confounding 1.
     */
    public static InMemoryExposureSource source(int rows, int batchRows, long seed) {
        return new InMemoryExposureSource(
                generate(schema(30, 20, 200, 8), 1.0, rows, seed),
                batchRows,
                "confounded-exposures-" + seed);
    }

    private static double gauss(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
