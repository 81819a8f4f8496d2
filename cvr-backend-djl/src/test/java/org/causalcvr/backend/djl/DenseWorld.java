package org.causalcvr.backend.djl;

import java.util.List;
import java.util.SplittableRandom;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.data.MultiValuedArrays;

/**
 * A world where the conversion rate depends on one dense feature only: {@code price}, a
 * heavy-tailed positive value (log-normal, 10·e^{1.5g}), and {@code cvr = σ(3·(log(1+price) − log
 * 11))}. The categorical fields {@code user} and {@code item} and the dense field {@code visits}
 * are noise, and clicks are a coin with p = 0.5 independent of everything, so a model that does not
 * read {@code price} can do no better than a constant. Every row also carries its potential
 * conversion r* ~ Bernoulli(cvr) (observed as the conversion label where clicked), for the
 * exposure-space AUC.
 */
public final class DenseWorld {
    public static final FeatureSchema SCHEMA =
            new FeatureSchema(
                    List.of(
                            new FeatureField("user", FieldRole.USER, 50, false),
                            new FeatureField("item", FieldRole.ITEM, 50, false)),
                    false,
                    true,
                    List.of(
                            new DenseField("price", FieldRole.ITEM),
                            new DenseField("visits", FieldRole.USER)));

    public final ArrayExposureBatch batch;
    public final int[] potential;

    private DenseWorld(ArrayExposureBatch batch, int[] potential) {
        this.batch = batch;
        this.potential = potential;
    }

    public static DenseWorld draw(int rows, long seed) {
        var rng = new SplittableRandom(seed);
        int[] clicks = new int[rows];
        int[] convs = new int[rows];
        int[] potential = new int[rows];
        int[][] single = {new int[rows], new int[rows]};
        float[][] dense = {new float[rows], new float[rows]};
        float[] p = new float[rows];
        float[] q = new float[rows];
        for (int r = 0; r < rows; r++) {
            single[0][r] = rng.nextInt(50);
            single[1][r] = rng.nextInt(50);
            double price = 10 * Math.exp(1.5 * SyntheticWorld.gauss(rng));
            dense[0][r] = (float) price;
            dense[1][r] = (float) Math.floor(Math.exp(2 * rng.nextDouble() * 3));
            double cvr = SyntheticWorld.sigmoid(3 * (Math.log1p(price) - Math.log(11)));
            p[r] = 0.5f;
            q[r] = (float) cvr;
            clicks[r] = rng.nextDouble() < 0.5 ? 1 : 0;
            potential[r] = rng.nextDouble() < cvr ? 1 : 0;
            convs[r] = clicks[r] * potential[r];
        }
        return new DenseWorld(
                new ArrayExposureBatch(
                        SCHEMA, clicks, convs, single, new MultiValuedArrays[2], null, p, q, dense),
                potential);
    }

    public InMemoryExposureSource source(String name) {
        return new InMemoryExposureSource(batch, 1000, name);
    }

    /** The AUC of {@code scores} against the potential conversions of every exposure. */
    public double exposureAuc(float[] scores) {
        return auc(scores, potential);
    }

    /** The Mann-Whitney AUC, ties counted half. */
    public static double auc(float[] scores, int[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double rankSum = 0;
        long pos = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (labels[order[k]] == 1) {
                    rankSum += rank;
                    pos++;
                }
            }
            i = j;
        }
        long neg = scores.length - pos;
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
