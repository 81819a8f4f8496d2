package org.causalcvr.data.arrow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.OptionalLong;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.MessageMetadataResult;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;

/**
 * An {@link ExposureSource} over an Arrow IPC file or stream file written in the {@linkplain
 * ExposureLogSchema exposure-log schema}.
 *
 * <pre>{@code
 * try (Allocators memory = Allocators.create()) {
 *     ExposureSource source = ArrowExposureSource.file(Path.of("train.arrow"), memory);
 *     try (BatchCursor cursor = source.open()) {
 *         while (cursor.next()) {
 *             ExposureBatch batch = cursor.batch(); // a view over Arrow buffers
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Opening checks that the file exists, is not empty, is an Arrow IPC file and has the exposure
 * log's columns and metadata. Every {@link #open()} streams the record batches one at a time into a
 * child allocator of its own, so memory is bounded by about one record batch whatever the file's
 * size; every batch is {@linkplain BatchValidator validated} before it is handed out, and a bad
 * value, a truncated or corrupt file stops the cursor with a one-line {@link DataException} naming
 * the file, the column and the row (or batch). The source itself holds no Arrow memory.
 */
public final class ArrowExposureSource implements ExposureSource {
    private final Path path;
    private final IpcFormat format;
    private final BufferAllocator parent;
    private final ReadOptions options;
    private final ExposureLogSchema schema;
    private java.util.Map<String, String> metadata = java.util.Map.of();
    private final String fingerprint;
    private String checksum;
    private volatile OptionalLong rowCount;

    private ArrowExposureSource(
            Path path, IpcFormat format, BufferAllocator parent, ReadOptions options) {
        this.path = path;
        this.format = format;
        this.parent = parent;
        this.options = options;
        BasicFileAttributes attrs = checkReadable(path);
        this.schema = readSchema();
        this.fingerprint =
                "arrow-"
                        + Long.toHexString(attrs.size())
                        + "-"
                        + Long.toHexString(attrs.lastModifiedTime().toMillis())
                        + "-"
                        + Integer.toHexString(schema.features().describe().hashCode())
                        + provenanceSuffix(metadata);
    }

    /**
     * What the fingerprint adds for a file that records its synthetic world: {@code
     * -world-<seed>-<parameters>-rows-<first>-<count>}, all hexadecimal, so that a model's
     * provenance (which keeps its training data's fingerprint) tells which world and rows it was
     * trained on.
     */
    private static String provenanceSuffix(java.util.Map<String, String> meta) {
        String seed = meta.get(ExposureLogSchema.WORLD_SEED_KEY);
        String params = meta.get(ExposureLogSchema.WORLD_PARAMETERS_KEY);
        String first = meta.get(ExposureLogSchema.WORLD_FIRST_ROW_KEY);
        String rows = meta.get(ExposureLogSchema.WORLD_ROWS_KEY);
        if (seed == null || params == null || first == null || rows == null) {
            return "";
        }
        try {
            return "-world-"
                    + Long.toHexString(Long.parseLong(seed))
                    + "-"
                    + params
                    + "-rows-"
                    + Long.toHexString(Long.parseLong(first))
                    + "-"
                    + Long.toHexString(Long.parseLong(rows));
        } catch (NumberFormatException e) {
            return "";
        }
    }

    /**
     * The schema's key-value metadata: the format keys and whatever the writer added (such as the
     * synthetic world's provenance under {@code causalcvr.world.*}).
     */
    public java.util.Map<String, String> metadata() {
        return metadata;
    }

    /** An Arrow IPC file (the random-access format), read strictly. */
    public static ArrowExposureSource file(Path path, Allocators memory) {
        return file(path, memory.root(), ReadOptions.strict());
    }

    /** An Arrow IPC file; cursors allocate from children of {@code parent}. */
    public static ArrowExposureSource file(Path path, BufferAllocator parent, ReadOptions options) {
        return new ArrowExposureSource(path, IpcFormat.FILE, parent, options);
    }

    /** A file holding an Arrow IPC stream, read strictly. */
    public static ArrowExposureSource stream(Path path, Allocators memory) {
        return stream(path, memory.root(), ReadOptions.strict());
    }

    /** A file holding an Arrow IPC stream; cursors allocate from children of {@code parent}. */
    public static ArrowExposureSource stream(
            Path path, BufferAllocator parent, ReadOptions options) {
        return new ArrowExposureSource(path, IpcFormat.STREAM, parent, options);
    }

    /** Opens {@code path} in the format its first bytes announce (file magic or stream). */
    public static ArrowExposureSource open(Path path, BufferAllocator parent, ReadOptions options) {
        checkReadable(path);
        byte[] head = new byte[6];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ch.read(ByteBuffer.wrap(head));
        } catch (IOException e) {
            throw DataException.inFile(
                    path, "cannot read (" + Allocators.oneLine(e.toString()) + ")");
        }
        boolean isFile =
                new String(head, java.nio.charset.StandardCharsets.US_ASCII).equals("ARROW1");
        return isFile ? file(path, parent, options) : stream(path, parent, options);
    }

    /** {@link #open(Path, BufferAllocator, ReadOptions)} with strict reading. */
    public static ArrowExposureSource open(Path path, Allocators memory) {
        return open(path, memory.root(), ReadOptions.strict());
    }

    static BasicFileAttributes checkReadable(Path path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw DataException.inFile(path, "no such file");
        } catch (IOException e) {
            throw DataException.inFile(
                    path, "cannot read (" + Allocators.oneLine(e.toString()) + ")");
        }
        if (attrs.isDirectory()) {
            throw DataException.inFile(path, "is a directory, not an Arrow file");
        }
        if (!Files.isReadable(path)) {
            throw DataException.inFile(path, "cannot read (permission denied)");
        }
        if (attrs.size() == 0) {
            throw DataException.inFile(path, "empty file, not an Arrow IPC " + "file or stream");
        }
        return attrs;
    }

    private ExposureLogSchema readSchema() {
        if (format == IpcFormat.STREAM) {
            checkStreamHead();
        }
        try (BufferAllocator a = parent.newChildAllocator("schema " + path, 0, Long.MAX_VALUE);
                FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
                ArrowReader reader = newReader(ch, a)) {
            Schema arrow = reader.getVectorSchemaRoot().getSchema();
            ExposureLogSchema s = ExposureLogSchema.fromArrow(arrow, path.toString());
            if (arrow.getCustomMetadata() != null) {
                metadata = java.util.Map.copyOf(arrow.getCustomMetadata());
            }
            if (format == IpcFormat.FILE) {
                List<ArrowBlock> blocks = ((ArrowFileReader) reader).getRecordBlocks();
                if (blocks.isEmpty()) {
                    throw DataException.inFile(path, "contains no record batch (no rows)");
                }
                checksum = ((ArrowFileReader) reader).getMetaData().get(ContentChecksum.KEY);
            } else {
                checkStreamEnd(ch);
            }
            return s;
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw DataException.inFile(
                    path,
                    "not a readable Arrow IPC "
                            + (format == IpcFormat.FILE ? "file" : "stream")
                            + " (truncated or corrupt: "
                            + Allocators.oneLine(e.toString())
                            + ")");
        }
    }

    /**
     * Arrow's stream reader trusts the first length prefix and would allocate whatever a foreign
     * file's first bytes say: check that it announces a schema message that fits in the file.
     */
    private void checkStreamHead() {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            long size = ch.size();
            int first = head.getInt(0);
            long length = first == -1 ? head.getInt(4) : first;
            long prefix = first == -1 ? 8 : 4;
            if (size < 8 || length <= 0 || length > size - prefix) {
                throw DataException.inFile(
                        path,
                        "not a readable Arrow IPC stream or file (its first message length "
                                + length
                                + " does not fit in "
                                + size
                                + " bytes)");
            }
        } catch (IOException e) {
            throw DataException.inFile(
                    path, "cannot read (" + Allocators.oneLine(e.toString()) + ")");
        }
    }

    /** A stream truncated at a message boundary reads as a shorter stream: insist on its EOS. */
    private void checkStreamEnd(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer tail = ByteBuffer.allocate(8);
        if (size >= 8) {
            ch.read(tail, size - 8);
        }
        tail.flip();
        if (size < 8 || tail.getInt(0) != -1 || tail.getInt(4) != 0) {
            throw DataException.inFile(
                    path, "Arrow IPC stream has no end-of-stream marker (truncated)");
        }
    }

    ArrowReader newReader(FileChannel ch, BufferAllocator allocator) {
        return format == IpcFormat.FILE
                ? new ArrowFileReader(ch, allocator)
                : new ArrowStreamReader(ch, allocator);
    }

    /** The file's content checksum (footer metadata), or null if it has none. */
    String checksum() {
        return checksum;
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The IPC layout of the file. */
    public IpcFormat format() {
        return format;
    }

    /** The full exposure-log schema (with weight columns). */
    public ExposureLogSchema logSchema() {
        return schema;
    }

    @Override
    public FeatureSchema schema() {
        return schema.features();
    }

    /**
     * The number of rows: for a file, the sum of the record batches' lengths read from their
     * message headers (no data is read); for a stream, unknown.
     */
    @Override
    public OptionalLong rowCount() {
        OptionalLong known = rowCount;
        if (known != null) {
            return known;
        }
        if (format == IpcFormat.STREAM) {
            known = OptionalLong.empty();
        } else {
            try (BufferAllocator a = parent.newChildAllocator("count " + path, 0, Long.MAX_VALUE);
                    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
                    ArrowFileReader reader = new ArrowFileReader(ch, a)) {
                long rows = 0;
                for (ArrowBlock block : reader.getRecordBlocks()) {
                    ch.position(block.getOffset());
                    MessageMetadataResult m = MessageSerializer.readMessage(new ReadChannel(ch));
                    if (m == null) {
                        throw new IOException(
                                "record batch header missing at " + block.getOffset());
                    }
                    rows += ((RecordBatch) m.getMessage().header(new RecordBatch())).length();
                }
                known = OptionalLong.of(rows);
            } catch (IOException | RuntimeException e) {
                throw DataException.inFile(
                        path,
                        "cannot count rows (truncated or corrupt: "
                                + Allocators.oneLine(e.toString())
                                + ")");
            }
        }
        rowCount = known;
        return known;
    }

    @Override
    public ArrowBatchCursor open() {
        return new ArrowBatchCursor(this, parent, options);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String description() {
        return path.toString();
    }
}
