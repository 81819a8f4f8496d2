package org.causalcvr.data.arrow;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;

/**
 * A cursor over the record batches of an {@link ArrowExposureSource}. It owns a child allocator,
 * the file channel, the Arrow reader and, for a file, a read-ahead thread that reads the next
 * record batch's bytes while the caller works on the current one; it closes all four. Each {@link
 * #next()} reloads the same vectors, so the previous batch becomes invalid. Empty record batches
 * are skipped.
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

    /** Two reused read buffers: block k is read into buffers[k % 2]. */
    private final ArrowBuf[] buffers = new ArrowBuf[2];

    private ThreadPoolExecutor readAhead;
    private FutureTask<Void> pending;
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
     * Loads record batch {@code nextBlock} of a file. Its bytes come from one of two reused buffers
     * (Arrow's own reader allocates a fresh buffer per batch, and touching new pages costs as much
     * as the read), read ahead on a second thread while the caller works on the previous batch: the
     * read costs about as much as validating and copying a batch, so overlapping them nearly halves
     * a scan on two cores. Reusing a buffer is safe because the previous batch is invalid once
     * {@link #next()} is called, and the read-ahead of block k+1 starts only then, into the buffer
     * that held block k-1.
     */
    private boolean loadBlock() throws IOException {
        if (nextBlock >= blocks.size()) {
            return false;
        }
        int index = nextBlock++;
        if (pending != null) {
            awaitPending(index);
        } else {
            readBlock(index);
        }
        if (nextBlock < blocks.size()) {
            int ahead = nextBlock;
            pending = new FutureTask<>(() -> readBlock(ahead));
            readAhead().execute(pending);
        }
        ArrowBuf scratch = buffers[index & 1];
        long metaLength = blocks.get(index).getMetadataLength();
        long total = metaLength + blocks.get(index).getBodyLength();
        int prefix = scratch.getInt(0) == -1 ? 8 : 4;
        Message message =
                Message.getRootAsMessage(
                        scratch.nioBuffer(prefix, (int) (metaLength - prefix)).asReadOnlyBuffer());
        if (message.headerType() != MessageHeader.RecordBatch) {
            throw new IOException("block " + index + " is not a record batch");
        }
        RecordBatch header = (RecordBatch) message.header(new RecordBatch());
        if (header.compression() != null) {
            throw new DataException(
                    source
                            + ", batch "
                            + index
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

    /**
     * Reads the bytes of record batch block {@code index} into buffer {@code index & 1}, with
     * positional reads (the channel's position is not shared state). Runs on the read-ahead thread
     * or, for the first block, on the caller's.
     */
    private Void readBlock(int index) throws IOException {
        ArrowBlock block = blocks.get(index);
        long metaLength = block.getMetadataLength();
        long total = metaLength + block.getBodyLength();
        if (metaLength < 8
                || block.getBodyLength() < 0
                || block.getOffset() < 0
                || block.getOffset() + total > channel.size()) {
            throw new IOException("record batch block " + index + " lies outside the file");
        }
        int slot = index & 1;
        ArrowBuf scratch = buffers[slot];
        if (scratch == null || scratch.capacity() < total) {
            if (scratch != null) {
                scratch.getReferenceManager().release();
                buffers[slot] = null;
            }
            scratch = allocator.buffer(total);
            buffers[slot] = scratch;
        }
        for (long done = 0; done < total; ) {
            int length = (int) Math.min(total - done, 1 << 30);
            java.nio.ByteBuffer target = scratch.nioBuffer(done, length);
            while (target.hasRemaining()) {
                if (channel.read(target, block.getOffset() + done + target.position()) < 0) {
                    throw new IOException("unexpected end of file in record batch " + index);
                }
            }
            done += length;
        }
        scratch.writerIndex(total);
        return null;
    }

    /** Waits for the read-ahead of block {@code index} and rethrows what it threw. */
    private void awaitPending(int index) throws IOException {
        try {
            // A read the read-ahead thread has not started yet (on a busy machine it may wait
            // long to be scheduled) runs here instead; one it has started is waited for.
            pending.run();
            pending.get();
            pending = null;
        } catch (InterruptedException e) {
            // pending stays set: close() waits for the read still writing into a buffer
            Thread.currentThread().interrupt();
            throw new DataException(source + ", batch " + index + ": read interrupted", e);
        } catch (ExecutionException e) {
            pending = null;
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

    /** The read-ahead thread, started on first use; it ends when the cursor closes or idles. */
    private ThreadPoolExecutor readAhead() {
        if (readAhead == null) {
            readAhead =
                    new ThreadPoolExecutor(
                            1,
                            1,
                            2,
                            TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(),
                            task -> {
                                Thread t = new Thread(task, "arrow read-ahead " + source);
                                t.setDaemon(true);
                                return t;
                            });
            // An unclosed cursor leaves no thread behind for long.
            readAhead.allowCoreThreadTimeOut(true);
        }
        return readAhead;
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
        if (pending != null) {
            // The read in flight writes into a buffer and reads the channel: let it finish first.
            boolean interrupted = false;
            pending.run(); // not yet started: run here rather than wait for the thread
            while (true) {
                try {
                    pending.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException ignored) {
                    break; // a read error of a batch nobody asked for
                }
            }
            pending = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (readAhead != null) {
            readAhead.shutdown();
        }
        closeQuietly(reader, channel);
        for (ArrowBuf b : buffers) {
            if (b != null) {
                b.getReferenceManager().release();
            }
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
