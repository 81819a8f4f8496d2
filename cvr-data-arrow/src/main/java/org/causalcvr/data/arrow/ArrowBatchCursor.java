package org.causalcvr.data.arrow;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;

/**
 * A cursor over the record batches of an {@link ArrowExposureSource}. It owns a child allocator,
 * the file channel and the Arrow reader, and closes all three; each {@link #next()} reloads the
 * same vectors, so the previous batch becomes invalid. Empty record batches are skipped.
 */
public final class ArrowBatchCursor implements BatchCursor {
    private final String source;
    private final BufferAllocator allocator;
    private final FileChannel channel;
    private final ArrowReader reader;
    private final BatchValidator validator;
    private ExposureVectors vectors;
    private final ExposureLogSchema schema;
    private ExposureBatch current;
    private int batchIndex = -1;
    private long rowsRead;
    private long droppedRows;
    private boolean closed;

    ArrowBatchCursor(ArrowExposureSource src, BufferAllocator parent, ReadOptions options) {
        this.source = src.path().toString();
        this.schema = src.logSchema();
        this.validator = new BatchValidator(source, options.conversionWithoutClick());
        this.allocator = parent.newChildAllocator("cursor " + source, 0, Long.MAX_VALUE);
        FileChannel ch = null;
        ArrowReader r = null;
        try {
            ch = FileChannel.open(src.path(), StandardOpenOption.READ);
            r = src.newReader(ch, allocator);
            vectors = new ExposureVectors(schema, r.getVectorSchemaRoot());
        } catch (IOException | RuntimeException e) {
            closeQuietly(r, ch);
            allocator.close();
            throw e instanceof DataException d
                    ? d
                    : new DataException(
                            source + ": cannot open (" + Allocators.oneLine(e.toString()) + ")", e);
        }
        this.channel = ch;
        this.reader = r;
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
            } catch (IOException | RuntimeException e) {
                throw new DataException(
                        source
                                + ", batch "
                                + (batchIndex + 1)
                                + ": truncated or corrupt Arrow data ("
                                + Allocators.oneLine(e.toString())
                                + ")",
                        e);
            }
            if (!loaded) {
                if (batchIndex < 0) {
                    throw new DataException(source + ": contains no record batch (no rows)");
                }
                return false;
            }
            batchIndex++;
            int rows = vectors.root.getRowCount();
            if (rows == 0) {
                continue;
            }
            boolean[] drop;
            try {
                drop = validator.validate(vectors, rows, rowsRead, batchIndex);
            } catch (DataException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new DataException(
                        source
                                + ", batch "
                                + batchIndex
                                + ": corrupt Arrow data ("
                                + Allocators.oneLine(e.toString())
                                + ")",
                        e);
            }
            rowsRead += rows;
            ExposureBatch view = new ArrowExposureBatch(vectors, rows);
            if (drop == null) {
                current = view;
                return true;
            }
            int dropped = 0;
            for (boolean d : drop) {
                dropped += d ? 1 : 0;
            }
            droppedRows += dropped;
            if (dropped < rows) {
                current = ExposureBatches.copyWithout(view, drop);
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
        return rowsRead;
    }

    /** Rows left out under {@link ConversionPolicy#DROP_AND_COUNT}. */
    public long droppedRows() {
        return droppedRows;
    }

    /** Index of the current record batch in the file (0-based; -1 before the first). */
    public int batchIndex() {
        return batchIndex;
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
        closeQuietly(reader, channel);
        allocator.close();
    }

    private static void closeQuietly(ArrowReader r, FileChannel ch) {
        try {
            if (r != null) {
                r.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // closing after a read error: the data is already reported
        }
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // nothing to report about a read-only channel
        }
    }
}
