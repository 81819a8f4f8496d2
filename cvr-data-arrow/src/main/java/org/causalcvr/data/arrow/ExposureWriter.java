package org.causalcvr.data.arrow;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.MultiValuedColumn;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.io.FileKind;

/**
 * Writes an exposure log as an Arrow IPC file (or stream), or as a Parquet file when the target's
 * name ends with {@code .parquet}, atomically.
 *
 * <p>Rows go to a hidden {@code .<target>.tmp-<pid>-<random>} in the target's directory ({@link
 * AtomicFolders#stagingFile}, which first deletes what a killed writer of the same target left);
 * {@link #commit()} ends the IPC file, forces it to disk and renames it onto {@code target} with
 * {@link StandardCopyOption#ATOMIC_MOVE} (replacing an existing file). {@link #close()} without a
 * commit, or any failure, deletes the temporary file, so {@code target} is either the old file or
 * the complete new one, never a half file. (A crash of the JVM itself can leave a hidden {@code
 * .tmp-} file next to the target, never under its name; the next writer of that target deletes it.)
 *
 * <pre>{@code
 * try (ExposureWriter out = ExposureWriter.create(path, schema, memory)) {
 *     out.write(batch);               // or fill out.builder() row by row
 *     out.commit();
 * }
 * }</pre>
 *
 * Every record batch is validated (labels, conversion without click, id ranges, ground truth)
 * before it is written, so every file this class commits reads back without error. Arrow IPC files
 * and Parquet files carry a {@linkplain ContentChecksum content checksum} (CRC32C per {@link
 * #batchRows()} rows) that the readers verify, so a bit flipped on disk is reported instead of
 * trained on. A Parquet file is written as an Arrow IPC file first and converted by Arrow's native
 * Parquet writer when committed. The writer owns a child allocator holding one batch of {@link
 * #batchRows()} rows, released on close.
 */
public final class ExposureWriter implements AutoCloseable {
    /** Rows per record batch unless told otherwise. */
    public static final int DEFAULT_BATCH_ROWS = 65_536;

    private final Path target;
    private final Path temp;
    private final ExposureLogSchema schema;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final FileChannel channel;
    private final ArrowWriter writer;
    private final ExposureVectors vectors;
    private final BatchBuilder builder;
    private final BatchValidator validator;
    private final int batchRows;
    private final Map<String, String> footer = new HashMap<>();
    private final ContentChecksum checksum;
    private final boolean parquet;
    private long rowsWritten;
    private int batches;
    private boolean committed;
    private boolean closed;

    private ExposureWriter(
            Path target,
            ExposureLogSchema schema,
            BufferAllocator parent,
            IpcFormat format,
            int batchRows,
            java.util.Map<String, String> metadata) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, got " + batchRows);
        }
        this.target = target.toAbsolutePath();
        this.schema = schema;
        this.batchRows = batchRows;
        this.validator = new BatchValidator(target.toString(), ConversionPolicy.FAIL);
        this.parquet = ParquetFiles.isParquetName(target);
        // a stream has no footer to hold a checksum computed at the end
        this.checksum =
                format == IpcFormat.FILE || parquet ? ContentChecksum.computing(batchRows) : null;
        Path dir = this.target.getParent();
        AtomicFolders.requireReplaceable(this.target, FILE_KIND);
        try {
            Files.createDirectories(dir);
            // hidden, named after the target, created under the umask; cleans what a killed
            // writer of the same target left
            this.temp = AtomicFolders.stagingFile(this.target);
        } catch (IOException | CvrException e) {
            throw DataException.inFile(
                    target, "cannot create (" + Allocators.oneLine(e.toString()) + ")");
        }
        BufferAllocator a = null;
        VectorSchemaRoot r = null;
        FileChannel ch = null;
        try {
            a = parent.newChildAllocator("writer " + target, 0, Long.MAX_VALUE);
            r = VectorSchemaRoot.create(schema.toArrow(metadata), a);
            ch =
                    FileChannel.open(
                            temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            ArrowWriter w =
                    format == IpcFormat.FILE || parquet
                            // the writer keeps this map and writes it at end(): the checksum
                            // is put into it by commit()
                            ? new ArrowFileWriter(r, null, ch, footer)
                            : new ArrowStreamWriter(r, null, ch);
            w.start();
            this.allocator = a;
            this.root = r;
            this.channel = ch;
            this.writer = w;
            this.vectors = new ExposureVectors(schema, r);
            this.builder = new BatchBuilder(this, vectors, batchRows);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            if (r != null) {
                r.close();
            }
            if (a != null) {
                a.close();
            }
            deleteQuietly(temp);
            throw e instanceof DataException d
                    ? d
                    : DataException.inFile(
                            target, "cannot write (" + Allocators.oneLine(e.toString()) + ")");
        }
    }

    /**
     * The files this writer produces: an Arrow IPC file (magic {@code ARROW1}) or stream
     * (continuation marker), or a Parquet file ({@code PAR1}), each with {@value
     * ExposureLogSchema#FORMAT_KEY} in its metadata. An existing target is replaced only if it is
     * one; anything else at that path is the user's and is refused before a row is written.
     */
    public static final FileKind FILE_KIND =
            FileKind.marked(
                    "causal-cvr exposure log",
                    List.of(
                            "ARROW1".getBytes(StandardCharsets.US_ASCII),
                            new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
                            "PAR1".getBytes(StandardCharsets.US_ASCII)),
                    ExposureLogSchema.FORMAT_KEY,
                    1 << 20);

    /** An Arrow IPC file with {@value #DEFAULT_BATCH_ROWS}-row batches. */
    public static ExposureWriter create(Path target, ExposureLogSchema schema, Allocators memory) {
        return create(target, schema, memory.root(), IpcFormat.FILE, DEFAULT_BATCH_ROWS);
    }

    /**
     * An Arrow IPC file or stream with batches of {@code batchRows} rows, buffered in a child of
     * {@code memory}'s root.
     */
    public static ExposureWriter create(
            Path target,
            ExposureLogSchema schema,
            Allocators memory,
            IpcFormat format,
            int batchRows) {
        return create(target, schema, memory.root(), format, batchRows);
    }

    /** An Arrow IPC file or stream with batches of {@code batchRows} rows. */
    public static ExposureWriter create(
            Path target,
            ExposureLogSchema schema,
            BufferAllocator parent,
            IpcFormat format,
            int batchRows) {
        return new ExposureWriter(target, schema, parent, format, batchRows, java.util.Map.of());
    }

    /**
     * An Arrow IPC file or stream with batches of {@code batchRows} rows whose schema also carries
     * {@code metadata} (for example a {@code WorldProvenance}); see {@link
     * ExposureLogSchema#toArrow(java.util.Map)}.
     */
    public static ExposureWriter create(
            Path target,
            ExposureLogSchema schema,
            BufferAllocator parent,
            IpcFormat format,
            int batchRows,
            java.util.Map<String, String> metadata) {
        return new ExposureWriter(target, schema, parent, format, batchRows, metadata);
    }

    /** The schema being written. */
    public ExposureLogSchema schema() {
        return schema;
    }

    /** Rows per record batch. */
    public int batchRows() {
        return batchRows;
    }

    /** The builder that fills this writer's next record batch. */
    public BatchBuilder builder() {
        checkOpen();
        return builder;
    }

    /** Rows written so far (flushed batches only). */
    public long rowsWritten() {
        return rowsWritten;
    }

    /** The temporary file being written (it disappears on commit or close). */
    public Path tempFile() {
        return temp;
    }

    /**
     * Copies every row of {@code batch} (any implementation, for example a view from another file)
     * into this writer's batches. Weights are written for weighted fields (1 where the batch has
     * none).
     *
     * @throws IllegalArgumentException if the batch's schema differs from the writer's
     */
    public void write(ExposureBatch batch) {
        checkOpen();
        FeatureSchema fs = schema.features();
        if (!batch.schema().fields().equals(fs.fields())
                || !batch.schema().dense().equals(fs.dense())) {
            throw new IllegalArgumentException(
                    "Batch schema " + batch.schema().describe() + " differs from " + fs.describe());
        }
        if (fs.hasGroup() && batch.groups().isEmpty()
                || fs.hasGroundTruth()
                        && (batch.truePropensity().isEmpty() || batch.trueCvr().isEmpty())) {
            throw new IllegalArgumentException(
                    "Batch lacks the group or ground-truth columns of " + fs.describe());
        }
        if (schema.hasPropensity() && batch.propensity().isEmpty()) {
            throw new IllegalArgumentException(
                    "Batch lacks the column '" + ReservedColumns.PROPENSITY + "' of the file");
        }
        builder.flush();
        int n = batch.size();
        int chunk = Math.min(batchRows, Math.max(1, n));
        int[] ints = new int[chunk];
        byte[] clicks = new byte[chunk];
        byte[] convs = new byte[chunk];
        long[] groups = fs.hasGroup() ? new long[chunk] : null;
        float[] p = fs.hasGroundTruth() ? new float[chunk] : null;
        float[] q = fs.hasGroundTruth() ? new float[chunk] : null;
        float[] dense = fs.dense().isEmpty() ? null : new float[chunk];
        float[] estimated = schema.hasPropensity() ? new float[chunk] : null;
        for (int from = 0; from < n; from += chunk) {
            int len = Math.min(chunk, n - from);
            batch.clicks().copyTo(from, ints, 0, len);
            for (int i = 0; i < len; i++) {
                clicks[i] = (byte) clampLabel(ints[i]);
            }
            batch.conversions().copyTo(from, ints, 0, len);
            for (int i = 0; i < len; i++) {
                convs[i] = (byte) clampLabel(ints[i]);
            }
            builder.putLabels(clicks, convs, len);
            for (int f = 0; f < fs.size(); f++) {
                if (fs.field(f).multiValued()) {
                    MultiValuedColumn c = batch.multiValuedFeature(f);
                    int s = c.start(from);
                    int e = c.end(from + len - 1);
                    int[] ids = new int[e - s];
                    c.ids().copyTo(s, ids, 0, e - s);
                    float[] w = null;
                    if (c.weights().isPresent()) {
                        w = new float[e - s];
                        c.weights().get().copyTo(s, w, 0, e - s);
                    }
                    for (int r = 0; r < len; r++) {
                        int rs = c.start(from + r);
                        builder.setIds(f, r, ids, w, rs - s, c.end(from + r) - rs);
                    }
                } else {
                    batch.feature(f).copyTo(from, ints, 0, len);
                    builder.putIds(f, ints, len);
                }
            }
            for (int d = 0; d < fs.dense().size(); d++) {
                batch.denseFeature(d).copyTo(from, dense, 0, len);
                builder.putDense(d, dense, len);
            }
            if (groups != null) {
                batch.groups().get().copyTo(from, groups, 0, len);
                builder.putGroups(groups, len);
            }
            if (p != null) {
                batch.truePropensity().get().copyTo(from, p, 0, len);
                batch.trueCvr().get().copyTo(from, q, 0, len);
                builder.putTruth(p, q, len);
            }
            if (estimated != null) {
                batch.propensity().get().copyTo(from, estimated, 0, len);
                builder.putPropensity(estimated, len);
            }
            builder.setRowCount(len);
            builder.flush();
        }
    }

    /** Labels outside a byte would wrap into {0, 1}; map them to 2 so validation reports them. */
    private static int clampLabel(int x) {
        return (x & ~1) == 0 ? x : 2;
    }

    /** Validates and writes the builder's vectors as one record batch. */
    void writeRoot(int rows) {
        checkOpen();
        validator.validate(vectors, rows, rowsWritten, batches);
        if (checksum != null) {
            checksum.update(vectors, rows, batches);
        }
        try {
            writer.writeBatch();
        } catch (IOException e) {
            throw DataException.inFile(
                    target, "write failed (" + Allocators.oneLine(e.toString()) + ")");
        }
        rowsWritten += rows;
        batches++;
    }

    /**
     * Writes the pending rows, ends the IPC file, forces it to disk and renames it onto the target.
     *
     * @return the target path
     * @throws DataException if no row was written or the file cannot be finished; the temporary
     *     file is then deleted
     */
    public Path commit() {
        checkOpen();
        try {
            builder.flush();
            if (rowsWritten == 0) {
                throw DataException.inFile(target, "no rows to write (empty input)");
            }
            if (checksum != null) {
                checksum.finish();
                footer.put(ContentChecksum.KEY, checksum.value());
            }
            writer.end();
            channel.force(true);
            channel.close();
            if (parquet) {
                Map<String, String> kv = new HashMap<>(schema.toArrow().getCustomMetadata());
                kv.putAll(footer);
                ParquetFiles.fromArrow(temp, target, allocator, kv);
                Files.delete(temp);
            } else {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
            return target;
        } catch (IOException e) {
            throw DataException.inFile(
                    target, "cannot finish (" + Allocators.oneLine(e.toString()) + ")");
        } finally {
            close();
        }
    }

    /** Releases memory; without a successful {@link #commit()}, deletes the temporary file. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (RuntimeException ignored) {
            // the channel may already be closed by commit()
        }
        closeQuietly(channel);
        root.close();
        allocator.close();
        if (!committed) {
            deleteQuietly(temp);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Writer for " + target + " is closed");
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // nothing more to do with a file we are abandoning
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the name is a temporary one, never the target
        }
    }
}
