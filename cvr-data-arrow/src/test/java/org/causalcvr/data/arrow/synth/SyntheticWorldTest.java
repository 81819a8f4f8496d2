package org.causalcvr.data.arrow.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.ExposureBatches;
import org.causalcvr.data.arrow.IpcFormat;
import org.causalcvr.data.arrow.TestBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticWorldTest {
    @TempDir Path dir;

    /** Sums over a source: rows, clicks, conversions, Σq, Σq over clicks, Σp. */
    private static double[] moments(ExposureSource source) {
        double[] m = new double[6];
        try (BatchCursor c = source.open()) {
            while (c.next()) {
                var b = c.batch();
                var p = b.truePropensity().orElseThrow();
                var q = b.trueCvr().orElseThrow();
                for (int r = 0; r < b.size(); r++) {
                    int o = b.clicks().getInt(r);
                    m[0]++;
                    m[1] += o;
                    m[2] += b.conversions().getInt(r);
                    m[3] += q.getFloat(r);
                    m[4] += o * q.getFloat(r);
                    m[5] += p.getFloat(r);
                }
            }
        }
        return m;
    }

    @Test
    void sameSeedSameRowsWhateverTheThreadsAndBatchSize() {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small").withSeed(11));
        try (Allocators memory = Allocators.create()) {
            Path a = dir.resolve("a.arrow");
            Path b = dir.resolve("b.arrow");
            world.write(a, 50_000, memory.root(), IpcFormat.FILE, 4_096, 1);
            SyntheticWorld.build(Presets.get("small").withSeed(11))
                    .write(b, 50_000, memory.root(), IpcFormat.FILE, 10_000, 2);
            ArrayExposureBatch fromA = readAll(ArrowExposureSource.file(a, memory));
            ArrayExposureBatch fromB = readAll(ArrowExposureSource.file(b, memory));
            TestBatches.assertSameRows(fromA, fromB);
            TestBatches.assertSameRows(readAll(world.source(50_000, 7_000)), fromA);
            ArrayExposureBatch other =
                    readAll(
                            SyntheticWorld.build(Presets.get("small").withSeed(12))
                                    .source(50_000, 50_000));
            assertThat(other.clickLabels()).isNotEqualTo(fromA.clickLabels());
        }
    }

    private static ArrayExposureBatch readAll(ExposureSource s) {
        var parts = new java.util.ArrayList<ArrayExposureBatch>();
        try (BatchCursor c = s.open()) {
            while (c.next()) {
                parts.add(ExposureBatches.copy(c.batch()));
            }
        }
        return TestBatches.concat(parts);
    }

    @Test
    void ratesMatchTheTargets() {
        double[] m = moments(SyntheticWorld.build(Presets.get("small")).source(200_000, 65_536));
        assertThat(m[1] / m[0]).isBetween(0.09, 0.11);
        assertThat(m[2] / m[1]).isBetween(0.18, 0.22);
        assertThat(m[5] / m[0]).isBetween(0.095, 0.105);
    }

    @Test
    void clickSpaceOverRepresentsHighCvrRowsOnlyWhenConfounded() {
        WorldConfig base = Presets.get("small").withFeatureCorrelation(0.0);
        double[] confounded =
                moments(SyntheticWorld.build(base.withConfounding(1.0)).source(200_000, 65_536));
        double[] unconfounded =
                moments(SyntheticWorld.build(base.withConfounding(0.0)).source(200_000, 65_536));
        double gapConfounded = confounded[4] / confounded[1] - confounded[3] / confounded[0];
        double gapUnconfounded =
                unconfounded[4] / unconfounded[1] - unconfounded[3] / unconfounded[0];
        assertThat(gapConfounded).isGreaterThan(0.03);
        assertThat(Math.abs(gapUnconfounded)).isLessThan(0.01);
    }

    @Test
    void aliCcpLikeHasTheRealFieldsAndRates() {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("ali-ccp-like"));
        var schema = world.schema().features();
        assertThat(schema.size()).isEqualTo(23);
        assertThat(schema.cardinalities())
                .containsEntry("101", 238_635L)
                .containsEntry("205", 467_298L)
                .containsEntry("150_14", 31_858L);
        double[] m = moments(world.source(300_000, 65_536));
        assertThat(m[1] / m[0]).isBetween(0.035, 0.043);
        assertThat(world.config().conversionRate()).isEqualTo(0.0054);
        SyntheticWorld multi = SyntheticWorld.build(Presets.get("ali-ccp-like-multi"));
        assertThat(multi.schema().weightedFields()).contains("109_14", "150_14");
    }

    @Test
    void popularityIsHeavyTailed() {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small"));
        int[] counts = new int[500];
        try (BatchCursor c = world.source(100_000, 65_536).open()) {
            while (c.next()) {
                var items = c.batch().feature(2);
                for (int r = 0; r < items.size(); r++) {
                    counts[items.getInt(r)]++;
                }
            }
        }
        int[] sorted = java.util.Arrays.stream(counts).sorted().toArray();
        // Zipf s = 1 over 500 ids: the top id draws about 1/H_500 = 15% of rows, the median < 0.2%
        assertThat(sorted[499]).isGreaterThan(10_000);
        assertThat(sorted[250]).isLessThan(300);
    }

    @Test
    void moreUsersAndItemsSpreadTheSameRowsOverMoreIds() {
        WorldConfig config = Presets.get("small").withUsers(3_000).withItems(1_500);
        assertThat(config.users()).isEqualTo(3_000);
        assertThat(config.items()).isEqualTo(1_500);
        SyntheticWorld world = SyntheticWorld.build(config);
        assertThat(world.schema().features().cardinalities())
                .containsEntry("user", 3_000L)
                .containsEntry("item", 1_500L);
        var users = new java.util.BitSet();
        var items = new java.util.BitSet();
        try (BatchCursor c = world.source(100_000, 65_536).open()) {
            while (c.next()) {
                var b = c.batch();
                for (int r = 0; r < b.size(); r++) {
                    users.set(b.feature(0).getInt(r));
                    items.set(b.feature(2).getInt(r));
                }
            }
        }
        // ids beyond the preset's 1,000 users and 500 items are drawn, none beyond the new counts
        assertThat(users.length()).isBetween(1_001, 3_000);
        assertThat(items.length()).isBetween(501, 1_500);
        assertThat(users.cardinality()).isGreaterThan(1_000);
        // the rates are the world's, whatever its ids
        double[] m = moments(world.source(200_000, 65_536));
        assertThat(m[1] / m[0]).isBetween(0.09, 0.11);
        assertThat(WorldConfigText.describe(config))
                .isNotEqualTo(WorldConfigText.describe(Presets.get("small")));
    }

    @Test
    void unknownPresetNamesTheKnownOnes() {
        assertThatThrownBy(() -> Presets.get("ali-cpp-like"))
                .isInstanceOf(UnknownNameException.class)
                .hasMessageContaining("ali-ccp-like");
    }

    @Test
    void failedGenerationLeavesNoFile() throws Exception {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small"));
        try (Allocators memory = Allocators.withLimit(1 << 20)) {
            Path target = dir.resolve("big.arrow");
            assertThatThrownBy(
                            () ->
                                    world.write(
                                            target,
                                            1_000_000,
                                            memory.root(),
                                            IpcFormat.FILE,
                                            65_536,
                                            1))
                    .isInstanceOf(RuntimeException.class);
            try (var files = Files.list(dir)) {
                assertThat(files).isEmpty();
            }
        }
    }
}
