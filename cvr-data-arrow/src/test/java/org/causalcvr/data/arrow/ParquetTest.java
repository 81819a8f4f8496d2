package org.causalcvr.data.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files and folders read as the same exposure log as the Arrow IPC file they came from. */
class ParquetTest {
    @TempDir Path dir;
    Allocators memory;

    @BeforeEach
    void start() {
        memory = Allocators.create();
    }

    @AfterEach
    void leakCheck() {
        memory.close();
    }

    private Path write(String name, int copies, int batchRows) {
        Path file = dir.resolve(name);
        try (ExposureWriter w =
                ExposureWriter.create(
                        file, TestData.schema(), memory.root(), IpcFormat.FILE, batchRows)) {
            for (int i = 0; i < copies; i++) {
                w.write(TestData.batch());
            }
            w.commit();
        }
        return file;
    }

    @Test
    void parquetWrittenFromTheSameRowsReadsBackEqualToTheArrowFile() throws IOException {
        Path arrow = write("log.arrow", 5, 3);
        Path parquet = write("log.parquet", 5, 3);
        assertThat(ParquetFiles.hasParquetMagic(parquet)).isTrue();
        ExposureSource source = ExposureSources.open(parquet, memory);
        assertThat(source).isInstanceOf(ParquetExposureSource.class);
        assertThat(((ParquetExposureSource) source).logSchema()).isEqualTo(TestData.schema());
        assertThat(source.rowCount()).hasValue(20);
        ArrayExposureBatch fromArrow = TestBatches.readAll(ExposureSources.open(arrow, memory));
        ArrayExposureBatch fromParquet = TestBatches.readAll(source);
        assertThat(fromParquet).usingRecursiveComparison().isEqualTo(fromArrow);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("log.arrow", "log.parquet");
        }
    }
}
