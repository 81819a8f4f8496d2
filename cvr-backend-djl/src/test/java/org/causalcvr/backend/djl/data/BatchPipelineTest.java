package org.causalcvr.backend.djl.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.SyntheticWorld;
import org.junit.jupiter.api.Test;

class BatchPipelineTest {
    /** Field 0's id is the row number, so a batch's rows can be read back. */
    private static InMemoryExposureSource numbered(int rows) {
        FeatureSchema schema = SyntheticWorld.schema(new int[] {rows, 5}, true, false);
        var data = SyntheticWorld.generate(schema, rows, 3);
        int[] ids = data.singleValued()[0];
        for (int i = 0; i < rows; i++) {
            ids[i] = i;
        }
        return new InMemoryExposureSource(data, 97, "numbered");
    }

    private static List<List<Integer>> epoch(
            InMemoryExposureSource source,
            int shuffle,
            long seed,
            OptionalDouble lambda,
            long skip) {
        return epoch(source, shuffle, seed, lambda, false, skip, new ArrayList<>());
    }

    /**
     * One epoch's rows per batch; with {@code weight}, each batch's row weights go to {@code
     * weights}.
     */
    private static List<List<Integer>> epoch(
            InMemoryExposureSource source,
            int shuffle,
            long seed,
            OptionalDouble lambda,
            boolean weight,
            long skip,
            List<List<Float>> weights) {
        var layout = new FieldLayout(source.schema(), 0, DjlOptions.IdPolicy.REFUSE);
        var out = new ArrayList<List<Integer>>();
        try (var pipeline =
                new BatchPipeline(source, layout, 64, shuffle, lambda, weight, seed, 2, skip)) {
            HostBatch b;
            while ((b = pipeline.take()) != null) {
                if (b.rowWeights != null) {
                    var w = new ArrayList<Float>();
                    for (int i = 0; i < b.size; i++) {
                        w.add(b.rowWeights[i]);
                    }
                    weights.add(w);
                }
                var rows = new ArrayList<Integer>();
                for (int i = 0; i < b.size; i++) {
                    rows.add(b.singleRows[i * b.singleCount]);
                    assertThat(b.clicks[i])
                            .isEqualTo(
                                    (float)
                                            source.data()
                                                    .clickLabels()[
                                                    b.singleRows[i * b.singleCount]]);
                }
                out.add(rows);
                pipeline.release(b);
            }
            assertThat(pipeline.waitNanos()).isNotNegative();
        }
        return out;
    }

    @Test
    void everyRowComesOncePerEpochInASeededOrder() {
        var source = numbered(1000);
        var a = epoch(source, 300, 1, OptionalDouble.empty(), 0);
        var b = epoch(source, 300, 1, OptionalDouble.empty(), 0);
        var c = epoch(source, 300, 2, OptionalDouble.empty(), 0);
        assertThat(b).isEqualTo(a);
        assertThat(c).isNotEqualTo(a);
        var seen = new ArrayList<Integer>();
        a.forEach(seen::addAll);
        assertThat(seen).hasSize(1000).doesNotHaveDuplicates();
        assertThat(a).hasSize(16);
        assertThat(a.get(15)).hasSize(1000 - 15 * 64);
        var ordered = epoch(source, 0, 1, OptionalDouble.empty(), 0);
        assertThat(ordered.get(0)).containsExactlyElementsOf(range(0, 64));
    }

    @Test
    void skippingBatchesReplaysTheRestOfTheEpochExactly() {
        var source = numbered(1000);
        var full = epoch(source, 300, 5, OptionalDouble.of(1.0), 0);
        var resumed = epoch(source, 300, 5, OptionalDouble.of(1.0), 6);
        assertThat(resumed).isEqualTo(full.subList(6, full.size()));
    }

    @Test
    void underSamplingKeepsEveryClickAndCeilLambdaTimesAsManyUnclickedRows() {
        var source = numbered(1000);
        int[] clicks = source.data().clickLabels();
        var ordered = epoch(source, 0, 1, OptionalDouble.empty(), 0);
        var sampled = epoch(source, 0, 1, OptionalDouble.of(0.5), 0);
        for (int b = 0; b < ordered.size(); b++) {
            long c = ordered.get(b).stream().filter(r -> clicks[r] == 1).count();
            long u = ordered.get(b).size() - c;
            List<Integer> kept = sampled.get(b);
            assertThat(kept.stream().filter(r -> clicks[r] == 1).count()).isEqualTo(c);
            assertThat(kept.stream().filter(r -> clicks[r] == 0).count())
                    .isEqualTo(Math.min(u, (long) Math.ceil(0.5 * c)));
            assertThat(kept).isSorted();
        }
    }

    @Test
    void weightingKeepsEveryRowAndWeighsEachUnclickedOneByItsChanceOfBeingDrawn() {
        var source = numbered(1000);
        int[] clicks = source.data().clickLabels();
        var all = epoch(source, 300, 4, OptionalDouble.empty(), 0);
        var weights = new ArrayList<List<Float>>();
        var weighted = epoch(source, 300, 4, OptionalDouble.of(0.5), true, 0, weights);
        // The same batches as without under-sampling, every row of them.
        assertThat(weighted).isEqualTo(all);
        assertThat(weights).hasSameSizeAs(weighted);
        for (int b = 0; b < weighted.size(); b++) {
            List<Integer> rows = weighted.get(b);
            long u = rows.stream().filter(r -> clicks[r] == 0).count();
            // What the draw keeps of this batch (as the under-sampling test checks it does).
            long keptByTheDraw = Math.min(u, (long) Math.ceil(0.5 * (rows.size() - u)));
            double unclickedWeight = 0;
            for (int i = 0; i < rows.size(); i++) {
                float w = weights.get(b).get(i);
                if (clicks[rows.get(i)] == 1) {
                    assertThat(w).isEqualTo(1f);
                } else {
                    assertThat((double) w).isCloseTo((double) keptByTheDraw / u, within(1e-6));
                    unclickedWeight += w;
                }
            }
            // The unclicked rows weigh, together, what the draw keeps of them.
            assertThat(unclickedWeight).isCloseTo(keptByTheDraw, within(1e-3));
        }
        // Without a λ there is nothing to weight: no weights, the unsampled batches.
        var none = new ArrayList<List<Float>>();
        assertThat(epoch(source, 300, 4, OptionalDouble.empty(), true, 0, none)).isEqualTo(all);
        assertThat(none).isEmpty();
    }

    private static List<Integer> range(int from, int to) {
        var out = new ArrayList<Integer>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
