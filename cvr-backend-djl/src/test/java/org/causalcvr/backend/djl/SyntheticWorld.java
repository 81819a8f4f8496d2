package org.causalcvr.backend.djl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.data.MultiValuedArrays;

/**
 * A small MNAR world for tests: each id of each field has a click effect, a conversion effect and a
 * share of an interest z; clicks and conversions share z and an unobserved noise ε, so clicked rows
 * convert more often than unclicked ones would (confounding). Ground truth is recorded.
 */
public final class SyntheticWorld {
    private SyntheticWorld() {}

    public static FeatureSchema schema(int[] cardinalities, boolean multi, boolean truth) {
        var fields = new ArrayList<FeatureField>();
        for (int f = 0; f < cardinalities.length; f++) {
            fields.add(
                    new FeatureField(
                            "f" + f,
                            f % 2 == 0 ? FieldRole.USER : FieldRole.ITEM,
                            cardinalities[f],
                            false));
        }
        if (multi) {
            fields.add(new FeatureField("history", FieldRole.USER, 50, true));
        }
        return new FeatureSchema(fields, false, truth);
    }

    public static ArrayExposureBatch generate(FeatureSchema schema, int rows, long seed) {
        var rng = new SplittableRandom(seed);
        int nf = schema.size();
        double[][] clickEff = new double[nf][];
        double[][] convEff = new double[nf][];
        var effRng = new SplittableRandom(12345);
        for (int f = 0; f < nf; f++) {
            int card = (int) schema.field(f).cardinality();
            clickEff[f] = new double[card];
            convEff[f] = new double[card];
            for (int i = 0; i < card; i++) {
                double z = gauss(effRng);
                clickEff[f][i] = 0.6 * gauss(effRng) + 0.5 * z;
                convEff[f][i] = 0.6 * gauss(effRng) + 0.5 * z;
            }
        }
        int[] clicks = new int[rows];
        int[] convs = new int[rows];
        float[] prop = new float[rows];
        float[] cvr = new float[rows];
        int[][] single = new int[nf][];
        MultiValuedArrays[] multiCols = new MultiValuedArrays[nf];
        List<int[]> multiIds = new ArrayList<>();
        for (int f = 0; f < nf; f++) {
            if (!schema.field(f).multiValued()) {
                single[f] = new int[rows];
            }
        }
        int[][] lists = new int[rows][];
        for (int r = 0; r < rows; r++) {
            double cl = -1.5;
            double cv = -1.0;
            for (int f = 0; f < nf; f++) {
                int card = (int) schema.field(f).cardinality();
                if (schema.field(f).multiValued()) {
                    int len = rng.nextInt(4);
                    int[] ids = new int[len];
                    for (int k = 0; k < len; k++) {
                        ids[k] = rng.nextInt(card);
                        cl += clickEff[f][ids[k]] / 2;
                        cv += convEff[f][ids[k]] / 2;
                    }
                    lists[r] = ids;
                } else {
                    // A skewed id distribution, as in real logs.
                    int id =
                            (int)
                                    Math.min(
                                            card - 1,
                                            Math.floor(card * Math.pow(rng.nextDouble(), 2)));
                    single[f][r] = id;
                    cl += clickEff[f][id];
                    cv += convEff[f][id];
                }
            }
            double eps = gauss(rng);
            double p = sigmoid(cl + 0.8 * eps);
            double q = sigmoid(cv + 0.8 * eps);
            prop[r] = (float) Math.max(1e-6, p);
            cvr[r] = (float) q;
            clicks[r] = rng.nextDouble() < p ? 1 : 0;
            convs[r] = clicks[r] == 1 && rng.nextDouble() < q ? 1 : 0;
        }
        for (int f = 0; f < nf; f++) {
            if (schema.field(f).multiValued()) {
                int total = 0;
                int[] offsets = new int[rows + 1];
                for (int r = 0; r < rows; r++) {
                    total += lists[r].length;
                    offsets[r + 1] = total;
                }
                int[] ids = new int[total];
                float[] w = new float[total];
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < lists[r].length; k++) {
                        ids[offsets[r] + k] = lists[r][k];
                        w[offsets[r] + k] = 1f + k;
                    }
                }
                multiCols[f] = new MultiValuedArrays(offsets, ids, w);
                multiIds.add(ids);
            }
        }
        return new ArrayExposureBatch(
                schema,
                clicks,
                convs,
                single,
                multiCols,
                null,
                schema.hasGroundTruth() ? prop : null,
                schema.hasGroundTruth() ? cvr : null);
    }

    public static InMemoryExposureSource source(
            ArrayExposureBatch data, int batchRows, String name) {
        return new InMemoryExposureSource(data, batchRows, name);
    }

    /** A small default world: 4 single fields and a multi-valued one, with ground truth. */
    public static InMemoryExposureSource small(int rows, long seed) {
        var schema = schema(new int[] {30, 20, 200, 8}, true, true);
        return source(generate(schema, rows, seed), 700, "small-world-" + seed);
    }

    public static double gauss(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
