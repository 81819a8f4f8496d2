package org.causalcvr.data.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.BatchCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExposureRoundTripTest {
    @TempDir Path dir;

    @Test
    void fileRoundTripPreservesEveryValueAndReleasesMemory() throws java.io.IOException {
        for (IpcFormat format : IpcFormat.values()) {
            Path file = dir.resolve("log-" + format + ".arrow");
            ArrayExposureBatch in = TestData.batch();
            try (Allocators memory = Allocators.create()) {
                try (ExposureWriter w =
                        ExposureWriter.create(file, TestData.schema(), memory.root(), format, 3)) {
                    w.write(in);
                    w.commit();
                }
                ArrowExposureSource src =
                        format == IpcFormat.FILE
                                ? ArrowExposureSource.file(file, memory)
                                : ArrowExposureSource.stream(file, memory);
                assertThat(src.logSchema()).isEqualTo(TestData.schema());
                Path probe = Files.createFile(dir.resolve("probe-" + format));
                assertThat(uncheckedPermissions(file)).isEqualTo(uncheckedPermissions(probe));
                assertThat(ArrowExposureSource.open(file, memory).format()).isEqualTo(format);
                if (format == IpcFormat.FILE) {
                    assertThat(src.rowCount()).hasValue(4);
                }
                var parts = new java.util.ArrayList<ArrayExposureBatch>();
                try (BatchCursor c = src.open()) {
                    while (c.next()) {
                        parts.add(ExposureBatches.copy(c.batch()));
                    }
                }
                assertThat(parts).hasSize(2);
                assertThat(TestBatches.concat(parts)).usingRecursiveComparison().isEqualTo(in);
            }
            try (var files = uncheckedList(dir)) {
                assertThat(files.filter(p -> p.toString().contains(".tmp-"))).isEmpty();
            }
        }
    }

    @Test
    void aWriterIsHiddenWhileWritingAndCleansWhatAKilledWriterOfTheSameTargetLeft()
            throws java.io.IOException {
        Path file = dir.resolve("train.arrow");
        // what `kill -9` during `cvr generate` leaves: a staging file of a process that is gone
        Path killed = Files.writeString(dir.resolve(".train.arrow.tmp-99999999-k1"), "half");
        Path otherTarget = Files.writeString(dir.resolve(".test.arrow.tmp-99999999-k2"), "half");
        try (Allocators memory = Allocators.create();
                ExposureWriter w = ExposureWriter.create(file, TestData.schema(), memory)) {
            try (var files = uncheckedList(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .as("only hidden staging files, named after their target")
                        .allMatch(n -> n.startsWith(".train.arrow.tmp-") || n.startsWith(".test"))
                        .doesNotContain(killed.getFileName().toString());
            }
            w.write(TestData.batch());
            w.commit();
        }
        assertThat(killed).doesNotExist();
        assertThat(otherTarget).as("another target's leftover is not ours to clean").exists();
        try (var files = uncheckedList(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("train.arrow", ".test.arrow.tmp-99999999-k2");
        }
    }

    private static Object uncheckedPermissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static java.util.stream.Stream<Path> uncheckedList(Path d) {
        try {
            return Files.list(d);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
