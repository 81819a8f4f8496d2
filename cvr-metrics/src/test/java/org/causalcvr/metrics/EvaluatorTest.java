package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.data.MultiValuedArrays;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
    private static final int ITEMS = 200;

    /** A model that scores by item id alone, as a trained model would from features. */
    static final class ItemModel implements TrainedModel {
        @Override
        public Provenance provenance() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Predictions predict(ExposureBatch batch) {
            int n = batch.size();
            float[] ctr = new float[n];
            float[] cvr = new float[n];
            for (int i = 0; i < n; i++) {
                int item = batch.feature(0).getInt(i);
                ctr[i] = propensity(item);
                cvr[i] = baseCvr(item);
            }
            return new Predictions(ctr, cvr);
        }

        @Override
        public void save(Path directory) {}

        @Override
        public void close() {}
    }

    static float propensity(int item) {
        return 0.05f + 0.5f * item / ITEMS;
    }

    static float baseCvr(int item) {
        return 0.02f + 0.3f * ((item * 37) % ITEMS) / ITEMS;
    }

    /** Clicks and conversions share the item; true CVR jitters around the item's rate. */
    static ArrayExposureBatch world(int n, boolean truth, boolean groups, long seed) {
        var random = new SplittableRandom(seed);
        var schema =
                new FeatureSchema(
                        List.of(FeatureField.single("item", FieldRole.ITEM, ITEMS)), groups, truth);
        int[] items = new int[n];
        int[] clicks = new int[n];
        int[] conversions = new int[n];
        float[] p = new float[n];
        float[] q = new float[n];
        long[] group = new long[n];
        for (int i = 0; i < n; i++) {
            items[i] = random.nextInt(ITEMS);
            p[i] = propensity(items[i]);
            q[i] = (float) Math.min(1, baseCvr(items[i]) * (0.5 + random.nextDouble()));
            clicks[i] = random.nextDouble() < p[i] ? 1 : 0;
            conversions[i] = clicks[i] == 1 && random.nextDouble() < q[i] ? 1 : 0;
            group[i] = 1_000_003L * random.nextInt(60);
        }
        return new ArrayExposureBatch(
                schema,
                clicks,
                conversions,
                new int[][] {items},
                new MultiValuedArrays[1],
                groups ? group : null,
                truth ? p : null,
                truth ? q : null);
    }

    static EvaluationReport evaluate(
            ArrayExposureBatch data, int batchRows, EvaluationOptions options) {
        return Evaluator.evaluate(
                new ItemModel(), new InMemoryExposureSource(data, batchRows, "test"), options);
    }

    private static float[] select(float[] values, int[] keep) {
        float[] out = new float[keep.length];
        for (int j = 0; j < keep.length; j++) {
            out[j] = values[keep[j]];
        }
        return out;
    }

    @Test
    void everySpaceIsComputedOverTheWholeDataAndNamed() {
        var data = world(20_000, true, true, 1);
        var report = evaluate(data, 777, EvaluationOptions.defaults());
        Predictions all = new ItemModel().predict(data);
        int n = data.size();

        assertThat(report.spaces())
                .extracting(SpaceReport::space)
                .containsExactly(EvaluationSpace.values());
        String table = report.toTable();
        for (EvaluationSpace s : EvaluationSpace.values()) {
            assertThat(table).contains(s.label());
        }

        int[] clicked = IntStream.range(0, n).filter(i -> data.clickLabels()[i] == 1).toArray();
        int[] clickedConversions =
                IntStream.of(clicked).map(i -> data.conversionLabels()[i]).toArray();
        SpaceReport cvrClicked = report.space(EvaluationSpace.CVR_CLICKED).orElseThrow();
        assertThat(cvrClicked.rows()).isEqualTo(clicked.length);
        assertThat(cvrClicked.auc())
                .isEqualTo(Auc.compute(select(all.cvr(), clicked), clickedConversions));

        float[] ctcvr = all.ctcvr();
        assertThat(report.space(EvaluationSpace.CTCVR).orElseThrow().auc())
                .isEqualTo(Auc.compute(ctcvr, data.conversionLabels()));
        assertThat(report.space(EvaluationSpace.CTR).orElseThrow().auc())
                .isEqualTo(Auc.compute(all.ctr(), data.clickLabels()));
        assertThat(report.space(EvaluationSpace.CTCVR).orElseThrow().groups().orElseThrow())
                .isEqualTo(
                        GroupMetrics.compute(data.groupIds(), ctcvr, data.conversionLabels(), 10));

        SpaceReport truth = report.space(EvaluationSpace.CVR_EXPOSURE_TRUE).orElseThrow();
        assertThat(truth.auc()).isEqualTo(Auc.soft(all.cvr(), data.trueCvrs()));
        assertThat(report.predictionInaccuracy().getAsDouble())
                .isCloseTo(LogLoss.soft(all.cvr(), data.trueCvrs()), within(1e-12));
        double meanPredicted = 0;
        double meanTruth = 0;
        for (int i = 0; i < n; i++) {
            meanPredicted += all.cvr()[i];
            meanTruth += data.trueCvrs()[i];
        }
        assertThat(truth.bias().getAsDouble())
                .isCloseTo((meanPredicted - meanTruth) / n, within(1e-9));
        assertThat(truth.groups()).isEmpty();
    }

    @Test
    void drawnLabelsCompleteTheObservedOnesAndFollowTrueCvr() {
        var data = world(40_000, true, false, 2);
        var report = evaluate(data, 1000, EvaluationOptions.defaults());
        SpaceReport clicked = report.space(EvaluationSpace.CVR_CLICKED).orElseThrow();
        SpaceReport unclicked = report.space(EvaluationSpace.CVR_UNCLICKED).orElseThrow();
        SpaceReport exposure = report.space(EvaluationSpace.CVR_EXPOSURE).orElseThrow();
        SpaceReport unclickedTruth = report.space(EvaluationSpace.CVR_UNCLICKED_TRUE).orElseThrow();
        // Clicked rows keep their observed labels; unclicked rows get the drawn ones.
        assertThat(exposure.positives()).isEqualTo(clicked.positives() + unclicked.positives());
        assertThat(exposure.rows()).isEqualTo(clicked.rows() + unclicked.rows());
        // Drawn at rate true_cvr: the count is within 4 sd of its expectation Σ q.
        double expected = unclickedTruth.positives();
        assertThat(unclicked.positives()).isCloseTo(expected, within(4 * Math.sqrt(expected)));
        // A different label seed draws different labels.
        var other = evaluate(data, 1000, EvaluationOptions.defaults().withLabelSeed(99));
        assertThat(other.space(EvaluationSpace.CVR_UNCLICKED).orElseThrow().positives())
                .isNotEqualTo(unclicked.positives());
        assertThat(report.predictionInaccuracyDrawn().getAsDouble()).isEqualTo(exposure.logLoss());
    }

    @Test
    void batchBoundariesDoNotChangeAnyNumber() {
        var data = world(5_000, true, true, 3);
        var one = evaluate(data, 5_000, EvaluationOptions.defaults());
        var many = evaluate(data, 37, EvaluationOptions.defaults());
        assertThat(many.values()).isEqualTo(one.values());
    }

    @Test
    void withoutGroundTruthOnlyObservedSpacesAppear() {
        var report = evaluate(world(3_000, false, false, 4), 500, EvaluationOptions.defaults());
        assertThat(report.spaces())
                .extracting(SpaceReport::space)
                .containsExactly(
                        EvaluationSpace.CVR_CLICKED, EvaluationSpace.CTCVR, EvaluationSpace.CTR);
        assertThat(report.toTable()).doesNotContain("cvr-exposure").doesNotContain("bias");
        assertThat(report.predictionInaccuracy()).isEmpty();
        assertThat(report.space(EvaluationSpace.CTR).orElseThrow().groups()).isEmpty();
    }

    @Test
    void aSpaceWithOneClassIsNanOrAnErrorAsAsked() {
        var base = world(2_000, false, false, 5);
        var noConversions =
                new ArrayExposureBatch(
                        base.schema(),
                        base.clickLabels(),
                        new int[base.size()],
                        base.singleValued(),
                        base.multiValued(),
                        null,
                        null,
                        null);
        var report = evaluate(noConversions, 300, EvaluationOptions.defaults());
        assertThat(report.space(EvaluationSpace.CVR_CLICKED).orElseThrow().auc()).isNaN();
        assertThat(report.space(EvaluationSpace.CTR).orElseThrow().auc()).isBetween(0.5, 1.0);
        assertThatThrownBy(
                        () ->
                                evaluate(
                                        noConversions,
                                        300,
                                        EvaluationOptions.defaults()
                                                .withOneClass(OneClassPolicy.ERROR)))
                .isInstanceOf(UndefinedMetricException.class)
                .hasMessageContaining("cvr-clicked");
    }

    @Test
    void mismatchedPredictionsAreRefused() {
        var data = world(10, false, false, 6);
        var evaluator = new Evaluator(EvaluationOptions.defaults());
        assertThatThrownBy(() -> evaluator.add(data, new Predictions(new float[3], new float[3])))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("10 rows but 3 predictions");
        float[] bad = new float[10];
        bad[4] = 1.5f;
        assertThatThrownBy(() -> evaluator.add(data, new Predictions(new float[10], bad)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("'pCVR', row 4");
    }

    @Test
    void optionsAreStrict() {
        assertThatThrownBy(
                        () ->
                                EvaluationOptions.fromConfig(
                                        EvaluationOptions.SCHEMA.resolve(
                                                java.util.Map.of("kk", "5"))))
                .hasMessageContaining("did you mean 'k'");
        var options =
                EvaluationOptions.fromConfig(
                        EvaluationOptions.SCHEMA.resolve(
                                java.util.Map.of("k", "5", "binning", "equal-width")));
        assertThat(options.k()).isEqualTo(5);
        assertThat(options.binning()).isEqualTo(Binning.EQUAL_WIDTH);
        assertThat(options.withSpaces("cvr-clicked, ctcvr").spaces())
                .containsExactlyInAnyOrder(EvaluationSpace.CVR_CLICKED, EvaluationSpace.CTCVR);
        assertThatThrownBy(() -> options.withSpaces("cvr-clikced"))
                .hasMessageContaining("did you mean 'cvr-clicked'");
    }

    @Test
    void validationScoreFollowsOneMetricOfOneSpace() {
        var data = world(4_000, false, true, 7);
        var source = new InMemoryExposureSource(data, 512, "validation");
        var score = SpaceValidationScore.parse("ctcvr:gauc");
        assertThat(score.name()).isEqualTo("ctcvr:gauc");
        assertThat(score.higherIsBetter()).isTrue();
        var report = Evaluator.evaluate(new ItemModel(), source, EvaluationOptions.defaults());
        assertThat(score.score(new ItemModel(), source))
                .isEqualTo(
                        report.space(EvaluationSpace.CTCVR)
                                .orElseThrow()
                                .groups()
                                .orElseThrow()
                                .gauc());
        assertThat(SpaceValidationScore.parse("cvr-clicked:logloss").higherIsBetter()).isFalse();
        assertThatThrownBy(() -> SpaceValidationScore.parse("ctcvr:acu"))
                .hasMessageContaining("did you mean 'auc'");
    }

    @Test
    void delongComparesTwoModelsOnTheSameRows() {
        var data = world(6_000, true, false, 8);
        var good = new Evaluator(EvaluationOptions.defaults());
        var noisy = new Evaluator(EvaluationOptions.defaults());
        var random = new SplittableRandom(3);
        Predictions p = new ItemModel().predict(data);
        float[] blurred = p.cvr().clone();
        for (int i = 0; i < blurred.length; i++) {
            blurred[i] = (float) Math.min(1, Math.max(0, blurred[i] + 0.2 * random.nextGaussian()));
        }
        good.add(data, p);
        noisy.add(data, new Predictions(p.ctr(), blurred));
        LabelledScores clicked = good.labelledScores(EvaluationSpace.CVR_CLICKED);
        DeLongResult r = good.compareAuc(noisy, EvaluationSpace.CVR_CLICKED);
        assertThat(r)
                .isEqualTo(
                        DeLong.compare(
                                clicked.scores(),
                                noisy.labelledScores(EvaluationSpace.CVR_CLICKED).scores(),
                                clicked.labels()));
        assertThat(r.difference()).isPositive();
        assertThat(good.labelledScores(EvaluationSpace.CVR_EXPOSURE_TRUE).probabilities())
                .hasSize(data.size());
        var other = new Evaluator(EvaluationOptions.defaults());
        other.add(world(6_000, true, false, 9), p);
        assertThatThrownBy(() -> good.compareAuc(other, EvaluationSpace.CVR_CLICKED))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("different rows or labels");
    }
}
