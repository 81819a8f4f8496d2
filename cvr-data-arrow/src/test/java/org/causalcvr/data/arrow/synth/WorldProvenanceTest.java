package org.causalcvr.data.arrow.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import org.causalcvr.api.DataException;
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

/** Which world and rows a generated file holds, and the check of a train/test split. */
class WorldProvenanceTest {
    @TempDir Path dir;

    private static ArrayExposureBatch rows(ExposureSource s) {
        var parts = new ArrayList<ArrayExposureBatch>();
        try (BatchCursor c = s.open()) {
            while (c.next()) {
                parts.add(ExposureBatches.copy(c.batch()));
            }
        }
        return TestBatches.concat(parts);
    }

    private Path write(SyntheticWorld world, String name, long first, long rows) {
        Path p = dir.resolve(name);
        try (Allocators memory = Allocators.create()) {
            world.write(p, first, rows, memory.root(), IpcFormat.FILE, 4_096, 2, done -> {});
        }
        return p;
    }

    @Test
    void theFileRecordsItsWorldAndRowsAndTheWorldRebuildsFromIt() {
        WorldConfig config =
                Presets.get("small")
                        .withSeed(-7)
                        .withConfounderVisibility(0.25)
                        .withPopularitySkew(0.75);
        SyntheticWorld world = SyntheticWorld.build(config);
        Path file = write(world, "part.arrow", 1_000, 500);
        WorldProvenance p = WorldProvenance.read(file).orElseThrow();
        assertThat(p).isEqualTo(world.provenance(1_000, 500));
        assertThat(p.seed()).isEqualTo(-7);
        assertThat(p.firstRow()).isEqualTo(1_000);
        assertThat(p.endRow()).isEqualTo(1_500);
        assertThat(p.config()).contains(config);
        try (Allocators memory = Allocators.create()) {
            var source = ArrowExposureSource.file(file, memory);
            assertThat(WorldProvenance.of(source)).contains(p);
            WorldProvenance fromFingerprint =
                    WorldProvenance.fromFingerprint(source.fingerprint()).orElseThrow();
            assertThat(fromFingerprint.sameWorld(p)).isTrue();
            assertThat(fromFingerprint.sharedRows(p)).isEqualTo(500);
        }
    }

    @Test
    void aRowRangeHoldsExactlyThoseRowsOfTheWorld() {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small").withSeed(2));
        try (Allocators memory = Allocators.create()) {
            ArrayExposureBatch whole =
                    rows(ArrowExposureSource.file(write(world, "all.arrow", 0, 3_000), memory));
            ArrayExposureBatch middle =
                    rows(ArrowExposureSource.file(write(world, "mid.arrow", 1_000, 1_500), memory));
            TestBatches.assertSameRows(middle, whole.slice(1_000, 2_500));
        }
    }

    @Test
    void disjointRangesOfOneWorldPassTheCheck() {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small").withSeed(1));
        Path train = write(world, "train.arrow", 0, 2_000);
        Path test = write(world, "test.arrow", 2_000, 1_000);
        assertThat(check(train, test)).isEmpty();
    }

    @Test
    void overlappingRangesAreFlaggedWithTheSharedRows() {
        SyntheticWorld world = SyntheticWorld.build(Presets.get("small").withSeed(1));
        Path train = write(world, "train.arrow", 0, 2_000);
        Path test = write(world, "test.arrow", 1_500, 1_000);
        assertThat(check(train, test))
                .singleElement()
                .asString()
                .contains("shares 500 rows", "[1500, 2500)", "not held out");
    }

    @Test
    void filesOfAnotherSeedAreFlaggedAsAnotherWorld() {
        Path train =
                write(SyntheticWorld.build(Presets.get("small").withSeed(1)), "a.arrow", 0, 500);
        Path test =
                write(SyntheticWorld.build(Presets.get("small").withSeed(2)), "b.arrow", 0, 500);
        assertThat(check(train, test))
                .singleElement()
                .asString()
                .contains(
                        "b.arrow comes from another synthetic world than the training data ",
                        "a.arrow (world seed 2, training 1)");
    }

    @Test
    void filesOfOtherParametersAreFlagged() {
        WorldConfig c = Presets.get("small").withSeed(1);
        Path train = write(SyntheticWorld.build(c), "a.arrow", 0, 500);
        Path test = write(SyntheticWorld.build(c.withConfounderVisibility(1)), "b.arrow", 500, 500);
        assertThat(check(train, test)).singleElement().asString().contains("other parameters");
    }

    @Test
    void filesWithoutAWorldAreNotChecked() {
        assertThat(SplitCheck.compare(Optional.empty(), Optional.empty(), "a", "b")).isEmpty();
        assertThat(WorldProvenance.fromFingerprint("arrow-10-20-30")).isEmpty();
        assertThat(WorldProvenance.fromMetadata(java.util.Map.of())).isEmpty();
        assertThatThrownBy(
                        () ->
                                WorldProvenance.fromMetadata(
                                        java.util.Map.of("causalcvr.world.seed", "x")))
                .isInstanceOf(DataException.class);
    }

    private static java.util.List<String> check(Path train, Path test) {
        return SplitCheck.compare(
                WorldProvenance.read(train),
                WorldProvenance.read(test),
                "the training data " + train,
                test.toString());
    }
}
