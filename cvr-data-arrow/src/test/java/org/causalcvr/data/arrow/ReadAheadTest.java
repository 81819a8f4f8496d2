package org.causalcvr.data.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file cursor reads the next record batch ahead on a second thread: batches still arrive whole
 * and in order, and a cursor closed while a read is in flight leaks no buffer and no thread.
 */
class ReadAheadTest {
    @TempDir Path dir;
    Allocators memory;

    @BeforeEach
    void start() {
        memory = Allocators.create();
    }

    @AfterEach
    void leakCheck() {
        memory.close(); // fails on any buffer still held
    }

    /** Batches of 4 rows whose first item id is the batch's number. */
    private Path numberedBatches(int batches) {
        Path file = dir.resolve("numbered.arrow");
        try (ExposureWriter w =
                ExposureWriter.create(file, TestData.schema(), memory.root(), IpcFormat.FILE, 4)) {
            for (int k = 0; k < batches; k++) {
                var b = TestData.batch();
                b.singleValued()[1][0] = k;
                w.write(b);
            }
            w.commit();
        }
        return file;
    }

    @Test
    void everyBatchArrivesWholeAndInOrder() {
        Path file = numberedBatches(17);
        ExposureSource source = ExposureSources.open(file, memory.root(), ReadOptions.strict());
        List<Integer> firstItems = new ArrayList<>();
        try (BatchCursor c = source.open()) {
            while (c.next()) {
                var b = c.batch();
                assertThat(b.size()).isEqualTo(4);
                assertThat(b.feature(1).getInt(3)).isEqualTo(7);
                assertThat(b.clicks().getInt(2)).isEqualTo(1);
                firstItems.add(b.feature(1).getInt(0));
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int k = 0; k < 17; k++) {
            expected.add(k);
        }
        assertThat(firstItems).isEqualTo(expected);
    }

    @Test
    void closingWithAReadInFlightLeavesNoBufferAndNoThread() throws InterruptedException {
        Path file = numberedBatches(5);
        ExposureSource source = ExposureSources.open(file, memory.root(), ReadOptions.strict());
        for (int i = 0; i < 20; i++) {
            try (BatchCursor c = source.open()) {
                assertThat(c.next()).isTrue(); // batch 1's read is now under way
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (readAheadThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(readAheadThreads()).isZero();
    }

    private static long readAheadThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("arrow read-ahead"))
                .count();
    }
}
