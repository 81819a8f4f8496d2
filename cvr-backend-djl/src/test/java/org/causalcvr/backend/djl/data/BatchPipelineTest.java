package org.causalcvr.backend.djl.data;

import static org.assertj.core.api.Assertions.assertThat;

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
        var layout = new FieldLayout(source.schema(), 0, DjlOptions.IdPolicy.REFUSE);
        var out = new ArrayList<List<Integer>>();
        try (var pipeline = new BatchPipeline(source, layout, 64, shuffle, lambda, seed, 2, skip)) {
            HostBatch b;
            while ((b = pipeline.take()) != null) {
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

    private static List<Integer> range(int from, int to) {
        var out = new ArrayList<Integer>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
