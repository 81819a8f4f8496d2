package org.causalcvr.data.arrow;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
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
    private final BatchChecks checks;
    private boolean ended;
    private ExposureVectors vectors;
    private final List<ArrowBlock> blocks;
    private final VectorLoader loader;
    private ArrowBuf scratch;
    private int nextBlock;
    private final ExposureLogSchema schema;
    private ExposureBatch current;
    private int batchIndex = -1;
    private boolean closed;

    ArrowBatchCursor(ArrowExposureSource src, BufferAllocator parent, ReadOptions options) {
        this.source = src.path().toString();
        this.schema = src.logSchema();
        this.checks = new BatchChecks(source, options, src.checksum(), false);
        this.allocator = parent.newChildAllocator("cursor " + source, 0, Long.MAX_VALUE);
        FileChannel ch = null;
        ArrowReader r = null;
        try {
            ch = FileChannel.open(src.path(), StandardOpenOption.READ);
            r = src.newReader(ch, allocator);
            vectors = new ExposureVectors(schema, r.getVectorSchemaRoot());
            blocks = r instanceof ArrowFileReader f ? f.getRecordBlocks() : null;
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
        this.loader = new VectorLoader(vectors.root);
    }

    /**
     * Loads record batch {@code nextBlock} of a file into one reused buffer: Arrow's own reader
     * allocates a fresh buffer per batch, and touching new pages costs as much as the read. Reusing
     * is safe because the previous batch is invalid once {@link #next()} is called.
     */
    private boolean loadBlock() throws IOException {
        if (nextBlock >= blocks.size()) {
            return false;
        }
        ArrowBlock block = blocks.get(nextBlock++);
        long metaLength = block.getMetadataLength();
        long total = metaLength + block.getBodyLength();
        if (metaLength < 8
                || block.getBodyLength() < 0
                || block.getOffset() < 0
                || block.getOffset() + total > channel.size()) {
            throw new IOException(
                    "record batch block " + (nextBlock - 1) + " lies outside the file");
        }
        if (scratch == null || scratch.capacity() < total) {
            if (scratch != null) {
                scratch.getReferenceManager().release();
            }
            scratch = allocator.buffer(total);
        }
        scratch.writerIndex(0);
        channel.position(block.getOffset());
        if (new ReadChannel(channel).readFully(scratch, total) != total) {
            throw new IOException("unexpected end of file in record batch " + (nextBlock - 1));
        }
        int prefix = scratch.getInt(0) == -1 ? 8 : 4;
        Message message =
                Message.getRootAsMessage(
                        scratch.nioBuffer(prefix, (int) (metaLength - prefix)).asReadOnlyBuffer());
        if (message.headerType() != MessageHeader.RecordBatch) {
            throw new IOException("block " + (nextBlock - 1) + " is not a record batch");
        }
        RecordBatch header = (RecordBatch) message.header(new RecordBatch());
        if (header.compression() != null) {
            throw new DataException(
                    source
                            + ", batch "
                            + (nextBlock - 1)
                            + ": compressed Arrow IPC buffers are not supported; write the file"
                            + " uncompressed");
        }
        ArrowBuf body = scratch.slice(metaLength, total - metaLength);
        // deserializeRecordBatch releases one reference to the body: lend it one
        body.getReferenceManager().retain();
        try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(header, body)) {
            loader.load(batch);
        }
        return true;
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
                loaded = blocks != null ? loadBlock() : reader.loadNextBatch();
            } catch (DataException e) {
                throw e;
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
                if (!ended) {
                    ended = true;
                    checks.end();
                }
                return false;
            }
            batchIndex++;
            int rows = vectors.root.getRowCount();
            if (rows == 0) {
                continue;
            }
            ExposureBatch accepted = checks.accept(vectors, rows, batchIndex, "Arrow");
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
        if (scratch != null) {
            scratch.getReferenceManager().release();
        }
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
