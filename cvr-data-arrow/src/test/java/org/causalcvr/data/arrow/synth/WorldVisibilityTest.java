package org.causalcvr.data.arrow.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.ExposureBatches;
import org.causalcvr.data.arrow.TestBatches;
import org.junit.jupiter.api.Test;

/** The confounder-visibility and popularity-skew knobs of a synthetic world. */
class WorldVisibilityTest {
    private static final int TRAIN = 200_000;
    private static final int TEST = 100_000;

    private static WorldConfig strong(double visibility) {
        return Presets.get("small")
                .withSeed(5)
                .withConfounding(2.0)
                .withConfounderVisibility(visibility);
    }

    private static ArrayExposureBatch rows(ExposureSource s) {
        var parts = new ArrayList<ArrayExposureBatch>();
        try (BatchCursor c = s.open()) {
            while (c.next()) {
                parts.add(ExposureBatches.copy(c.batch()));
            }
        }
        return TestBatches.concat(parts);
    }

    /** The largest spread of true_propensity among rows whose features are all equal. */
    private static double propensitySpreadAtEqualFeatures(ArrayExposureBatch b) {
        Map<String, float[]> range = new HashMap<>();
        var p = b.truePropensity().orElseThrow();
        for (int r = 0; r < b.size(); r++) {
            StringBuilder key = new StringBuilder();
            for (int f = 0; f < b.schema().size(); f++) {
                if (b.schema().field(f).multiValued()) {
                    var m = b.multiValuedFeature(f);
                    for (int j = m.start(r); j < m.end(r); j++) {
                        key.append(m.ids().getInt(j)).append('/').append(weight(m, j)).append(' ');
                    }
                } else {
                    key.append(b.feature(f).getInt(r));
                }
                key.append(',');
            }
            float v = p.getFloat(r);
            range.merge(
                    key.toString(),
                    new float[] {v, v},
                    (a, n) -> new float[] {Math.min(a[0], n[0]), Math.max(a[1], n[1])});
        }
        return range.values().stream().mapToDouble(a -> a[1] - a[0]).max().orElseThrow();
    }

    @Test
    void withTheConfounderAllSeenThePropensityIsAFunctionOfTheFeatures() {
        ArrayExposureBatch seen = rows(SyntheticWorld.build(strong(1.0)).source(TEST, 65_536));
        ArrayExposureBatch hidden = rows(SyntheticWorld.build(strong(0.0)).source(TEST, 65_536));
        assertThat(propensitySpreadAtEqualFeatures(seen)).isEqualTo(0.0);
        assertThat(propensitySpreadAtEqualFeatures(hidden)).isGreaterThan(0.3);
    }

    /**
     * A logistic regression on the one-hot features, fitted to the clicks of one row range and
     * scored on another, against the click AUC of the true propensity on the same rows: with the
     * confounder all seen it reaches the truth's AUC (the propensity is learnable), with it all
     * hidden it falls well short.
     */
    @Test
    void aLogisticModelOnTheFeaturesRecoversThePropensityOnlyWhenTheConfounderIsSeen() {
        double[] seen = fittedAndTrueAuc(strong(1.0));
        double[] hidden = fittedAndTrueAuc(strong(0.0));
        // measured: seen 0.881 against 0.892, hidden 0.648 against 0.900 (what remains at v = 1 is
        // the estimation error of 200,000 rows)
        assertThat(seen[0]).isGreaterThan(seen[1] - 0.02);
        assertThat(hidden[0]).isLessThan(hidden[1] - 0.1);
    }

    private static double[] fittedAndTrueAuc(WorldConfig config) {
        SyntheticWorld world = SyntheticWorld.build(config);
        ArrayExposureBatch all = rows(world.source(TRAIN + TEST, 65_536));
        int fields = all.schema().size();
        long[] offsets = all.schema().offsets();
        double[] w = new double[(int) all.schema().totalCardinality()];
        double bias = 0;
        double lr = 0.05;
        for (int epoch = 0; epoch < 4; epoch++) {
            for (int r = 0; r < TRAIN; r++) {
                double g = sigmoid(bias + logit(all, r, fields, offsets, w)) - all.clickLabels()[r];
                bias -= lr * g;
                for (int f = 0; f < fields; f++) {
                    if (all.schema().field(f).multiValued()) {
                        var m = all.multiValuedFeature(f);
                        double sw = weightSum(m, r);
                        for (int j = m.start(r); j < m.end(r); j++) {
                            w[(int) offsets[f] + m.ids().getInt(j)] -= lr * g * weight(m, j) / sw;
                        }
                    } else {
                        w[(int) offsets[f] + all.feature(f).getInt(r)] -= lr * g;
                    }
                }
            }
        }
        double[] fitted = new double[TEST];
        double[] truth = new double[TEST];
        int[] clicks = new int[TEST];
        for (int r = 0; r < TEST; r++) {
            fitted[r] = logit(all, TRAIN + r, fields, offsets, w);
            truth[r] = all.truePropensity().orElseThrow().getFloat(TRAIN + r);
            clicks[r] = all.clickLabels()[TRAIN + r];
        }
        return new double[] {auc(fitted, clicks), auc(truth, clicks)};
    }

    private static double logit(
            ArrayExposureBatch b, int r, int fields, long[] offsets, double[] w) {
        double z = 0;
        for (int f = 0; f < fields; f++) {
            if (b.schema().field(f).multiValued()) {
                var m = b.multiValuedFeature(f);
                double sw = weightSum(m, r);
                for (int j = m.start(r); j < m.end(r); j++) {
                    z += w[(int) offsets[f] + m.ids().getInt(j)] * weight(m, j) / sw;
                }
            } else {
                z += w[(int) offsets[f] + b.feature(f).getInt(r)];
            }
        }
        return z;
    }

    private static double weightSum(org.causalcvr.api.data.MultiValuedColumn m, int r) {
        double s = 0;
        for (int j = m.start(r); j < m.end(r); j++) {
            s += weight(m, j);
        }
        return Math.max(1, s);
    }

    private static float weight(org.causalcvr.api.data.MultiValuedColumn m, int j) {
        return m.weights().map(w -> w.getFloat(j)).orElse(1f);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** The Mann-Whitney AUC of {@code score} for {@code labels}, ties counted half. */
    static double auc(double[] score, int[] labels) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSum = 0;
        long pos = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && score[order[j]] == score[order[i]]) {
                j++;
            }
            double mid = (i + j + 1) / 2.0;
            for (int k = i; k < j; k++) {
                if (labels[order[k]] == 1) {
                    rankSum += mid;
                    pos++;
                }
            }
            i = j;
        }
        long neg = score.length - pos;
        return (rankSum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
    }

    @Test
    void popularitySkewMakesTheTailRarelyClicked() {
        WorldConfig base = Presets.get("small").withSeed(3);
        double[] flat = ctrByItemBucket(base);
        double[] skewed = ctrByItemBucket(base.withPopularitySkew(1.0));
        // without skew, head and tail are clicked alike; with it, the tail clearly less
        assertThat(flat[2] / flat[0]).isBetween(0.8, 1.25);
        assertThat(skewed[2] / skewed[0]).isLessThan(0.6);
    }

    /** The click rate of the rows in each of 3 equal-exposure buckets of item popularity. */
    private static double[] ctrByItemBucket(WorldConfig config) {
        SyntheticWorld world = SyntheticWorld.build(config);
        ArrayExposureBatch b = rows(world.source(TEST, 65_536));
        int item = b.schema().indexOf("item");
        double[] clicks = new double[3];
        double[] n = new double[3];
        for (int r = 0; r < b.size(); r++) {
            int k = world.popularityBucket("item", b.feature(item).getInt(r), 3);
            clicks[k] += b.clickLabels()[r];
            n[k]++;
        }
        // equal exposure mass per bucket, within sampling noise (the head bucket is one id wide)
        for (double count : n) {
            assertThat(count / b.size()).isBetween(0.15, 0.5);
        }
        return new double[] {clicks[0] / n[0], clicks[1] / n[1], clicks[2] / n[2]};
    }

    @Test
    void rankZeroIsTheMostShownId() {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small").withSeed(9));
        ArrayExposureBatch b = rows(world.source(50_000, 65_536));
        int user = b.schema().indexOf("user");
        int[] counts = new int[1_000];
        for (int r = 0; r < b.size(); r++) {
            counts[b.feature(user).getInt(r)]++;
        }
        int top = 0;
        for (int u = 1; u < counts.length; u++) {
            top = counts[u] > counts[top] ? u : top;
        }
        assertThat(world.popularityRank("user", top)).isZero();
        List<Integer> ranks = new ArrayList<>();
        for (int u = 0; u < 1_000; u++) {
            ranks.add(world.popularityRank("user", u));
        }
        assertThat(ranks).doesNotHaveDuplicates().allMatch(k -> k >= 0 && k < 1_000);
        assertThatThrownBy(() -> world.popularityRank("user", 1_000))
                .hasMessageContaining("outside [0, 1000)");
    }

    @Test
    void theKnobsAtZeroLeaveTheWorldAsItWas() {
        WorldConfig old = Presets.get("small").withSeed(4);
        WorldConfig explicit = old.withConfounderVisibility(0.0).withPopularitySkew(0.0);
        assertThat(explicit).isEqualTo(old);
        assertThat(Presets.get("small").confounderVisibility()).isEqualTo(0.0);
        // the default ali-ccp-like world is mixed: half the confounder seen, popular ids clicked
        // more
        assertThat(Presets.get("ali-ccp-like").confounderVisibility()).isEqualTo(0.5);
        assertThat(Presets.get("ali-ccp-like").popularitySkew()).isEqualTo(0.5);
        assertThatThrownBy(() -> old.withConfounderVisibility(1.5))
                .hasMessageContaining("confounderVisibility");
    }
}
