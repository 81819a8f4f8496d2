package org.causalcvr.data.arrow;

import java.io.IOException;
import java.util.Optional;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;

/**
 * A cursor over a {@link ParquetExposureSource}: Arrow Dataset's native scanner decodes the file
 * into batches that are imported (zero-copy, through the C data interface) into one reused root.
 * Owns a child allocator, the native dataset, scanner and reader, and closes them all; each {@link
 * #next()} replaces the previous batch.
 */
public final class ParquetBatchCursor implements BatchCursor {
    private final String source;
    private final BufferAllocator allocator;
    private final ExposureLogSchema schema;
    private final java.util.Map<String, String> columnOf;
    private final BatchChecks checks;
    private FileSystemDatasetFactory factory;
    private Dataset dataset;
    private Scanner scanner;
    private ArrowReader reader;
    private ExposureVectors vectors;
    private ExposureBatch current;
    private int batchIndex = -1;
    private long rowsRead;
    private final long expectedRows;
    private boolean ended;
    private boolean closed;

    ParquetBatchCursor(ParquetExposureSource src, BufferAllocator parent, ReadOptions options) {
        this.source = src.path().toString();
        this.schema = src.logSchema();
        this.columnOf = src.columnOf();
        this.expectedRows = src.rowCount().getAsLong();
        this.checks = new BatchChecks(source, options, src.checksum(), true);
        this.allocator = parent.newChildAllocator("cursor " + source, 0, Long.MAX_VALUE);
        try {
            factory =
                    new FileSystemDatasetFactory(
                            allocator,
                            NativeMemoryPool.getDefault(),
                            FileFormat.PARQUET,
                            src.uri());
            dataset = factory.finish();
            Optional<String[]> columns =
                    src.columnOf().isEmpty()
                            ? Optional.empty()
                            : Optional.of(src.columnOf().values().toArray(String[]::new));
            scanner = dataset.newScan(new ScanOptions(ParquetExposureSource.BATCH_ROWS, columns));
            reader = scanner.scanBatches();
        } catch (RuntimeException e) {
            closeNative();
            allocator.close();
            throw new DataException(
                    source + ": cannot open Parquet (" + Allocators.oneLine(e.toString()) + ")", e);
        }
    }

    @Override
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("Cursor over " + source + " is closed");
        }
        current = null;
        while (true) {
            boolean loaded;
            try {
                loaded = reader.loadNextBatch();
                if (loaded && vectors == null) {
                    vectors = new ExposureVectors(schema, reader.getVectorSchemaRoot(), columnOf);
                }
            } catch (IOException | RuntimeException e) {
                throw new DataException(
                        source
                                + ", batch "
                                + (batchIndex + 1)
                                + ": truncated or corrupt Parquet data ("
                                + Allocators.oneLine(e.toString())
                                + ")",
                        e);
            }
            if (!loaded) {
                if (!ended) {
                    ended = true;
                    if (rowsRead != expectedRows) {
                        throw new DataException(
                                source
                                        + ": read "
                                        + rowsRead
                                        + " rows but the footer records "
                                        + expectedRows
                                        + " (truncated or corrupt)");
                    }
                    checks.end();
                }
                return false;
            }
            batchIndex++;
            int rows = vectors.root.getRowCount();
            if (rows == 0) {
                continue;
            }
            rowsRead += rows;
            ExposureBatch accepted = checks.accept(vectors, rows, batchIndex, "Parquet");
            if (accepted != null) {
                current = accepted;
                return true;
            }
        }
    }

    @Override
    public ExposureBatch batch() {
        if (current == null) {
            throw new IllegalStateException("No current batch: call next() first");
        }
        return current;
    }

    /** Rows read from the file so far, dropped ones included. */
    public long rowsRead() {
        return checks.rowsRead();
    }

    /** Rows left out under {@link ConversionPolicy#DROP_AND_COUNT}. */
    public long droppedRows() {
        return checks.droppedRows();
    }

    /** Bytes this cursor's allocator holds now. */
    public long allocatedBytes() {
        return allocator.getAllocatedMemory();
    }

    /** The most bytes this cursor's allocator held at once. */
    public long peakBytes() {
        return allocator.getPeakMemoryAllocation();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        current = null;
        closeNative();
        allocator.close();
    }

    private void closeNative() {
        AutoCloseable[] all = {reader, scanner, dataset, factory};
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing after a read error: the data is already reported
            }
        }
    }
}
