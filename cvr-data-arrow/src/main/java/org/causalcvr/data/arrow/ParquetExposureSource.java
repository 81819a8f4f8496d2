package org.causalcvr.data.arrow;

import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.format.FileMetaData;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;

/**
 * An {@link ExposureSource} over one Parquet file in the {@linkplain ExposureLogSchema exposure-log
 * schema}: the roles and cardinalities come from the footer's key/value metadata (written by {@link
 * ExposureWriter} for a {@code .parquet} target), under the same keys and rules as an Arrow IPC
 * file's schema metadata.
 *
 * <p>Pages are decoded by Arrow Dataset's native Parquet reader (any codec Arrow C++ supports:
 * snappy, zstd, gzip, lz4, uncompressed), which streams record batches of {@link #BATCH_ROWS} rows
 * into a child allocator of the cursor's own; memory is bounded by a few batches and one row
 * group's compressed pages whatever the file's size. Every batch is {@linkplain BatchValidator
 * validated} and, when the file carries one, checked against the {@linkplain ContentChecksum
 * content checksum}; problems are one-line {@link DataException}s naming the file.
 */
public final class ParquetExposureSource implements ExposureSource {
    /** Rows per batch the reader asks the native scanner for. */
    static final int BATCH_ROWS = 65_536;

    private final Path path;
    private final BufferAllocator parent;
    private final ReadOptions options;
    private final ExposureLogSchema schema;
    private final String checksum;
    private final long rows;
    private final String fingerprint;
    private final Map<String, String> columnOf;

    private ParquetExposureSource(
            Path path, BufferAllocator parent, ReadOptions options, ColumnMapping mapping) {
        this.path = path;
        this.parent = parent;
        this.options = options;
        BasicFileAttributes attrs = ArrowExposureSource.checkReadable(path);
        FileMetaData footer = ParquetFiles.readFooter(path);
        Map<String, String> kv = ParquetFiles.keyValues(footer);
        this.rows = footer.getNum_rows();
        Schema arrow = inspect();
        if (mapping == null) {
            this.columnOf = Map.of();
            this.checksum = kv.get(ContentChecksum.KEY);
            this.schema =
                    ExposureLogSchema.fromArrow(new Schema(arrow.getFields(), kv), path.toString());
        } else {
            // the file's own checksum (if any) covers all of its columns, not the mapped ones
            this.columnOf = mapping.columnOf();
            this.checksum = null;
            this.schema = mapped(arrow, mapping);
        }
        if (rows <= 0) {
            throw DataException.inFile(path, "contains no rows");
        }
        this.fingerprint =
                "parquet-"
                        + Long.toHexString(attrs.size())
                        + "-"
                        + Long.toHexString(attrs.lastModifiedTime().toMillis())
                        + "-"
                        + Integer.toHexString(schema.features().describe().hashCode());
    }

    /**
     * The log schema of {@code arrow}'s columns read through {@code mapping}: the mapped columns
     * renamed to the log's names, checked against the log's rules (types, labels) as a file's own
     * metadata would be.
     */
    private ExposureLogSchema mapped(Schema arrow, ColumnMapping mapping) {
        Map<String, Field> byName = new java.util.HashMap<>();
        for (Field f : arrow.getFields()) {
            byName.put(f.getName(), f);
        }
        List<Field> renamed = new ArrayList<>();
        for (Map.Entry<String, String> e : mapping.columnOf().entrySet()) {
            Field f = byName.get(e.getValue());
            if (f == null) {
                throw new DataException(
                        path
                                + ", column '"
                                + e.getValue()
                                + "': missing (named by the column mapping; the file has "
                                + byName.keySet()
                                + ")");
            }
            renamed.add(new Field(e.getKey(), f.getFieldType(), f.getChildren()));
        }
        ExposureLogSchema promised = mapping.schema();
        ExposureLogSchema s =
                ExposureLogSchema.fromArrow(
                        new Schema(renamed, promised.toArrow().getCustomMetadata()),
                        path.toString());
        if (!s.equals(promised)) {
            throw DataException.inFile(
                    path, "does not match its column mapping " + promised.features().describe());
        }
        return s;
    }

    /** A Parquet file, read strictly. */
    public static ParquetExposureSource file(Path path, Allocators memory) {
        return file(path, memory.root(), ReadOptions.strict());
    }

    /** A Parquet file; cursors allocate from children of {@code parent}. */
    public static ParquetExposureSource file(
            Path path, BufferAllocator parent, ReadOptions options) {
        return new ParquetExposureSource(path, parent, options, null);
    }

    /**
     * A Parquet file without the exposure-log metadata, its columns mapped by {@code mapping}; only
     * the mapped columns are read.
     */
    public static ParquetExposureSource mapped(
            Path path, BufferAllocator parent, ReadOptions options, ColumnMapping mapping) {
        return new ParquetExposureSource(path, parent, options, mapping);
    }

    /** The file's column of each log column whose name differs (empty without a mapping). */
    Map<String, String> columnOf() {
        return columnOf;
    }

    /** The Arrow schema Arrow's Parquet reader will produce (columns and types). */
    private Schema inspect() {
        try (BufferAllocator a = parent.newChildAllocator("inspect " + path, 0, Long.MAX_VALUE);
                FileSystemDatasetFactory factory =
                        new FileSystemDatasetFactory(
                                a, NativeMemoryPool.getDefault(), FileFormat.PARQUET, uri())) {
            return factory.inspect();
        } catch (RuntimeException e) {
            throw DataException.inFile(
                    path,
                    "not a readable Parquet file (" + Allocators.oneLine(e.getMessage()) + ")");
        }
    }

    String uri() {
        return path.toAbsolutePath().toUri().toString();
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The full exposure-log schema (with weight columns). */
    public ExposureLogSchema logSchema() {
        return schema;
    }

    String checksum() {
        return checksum;
    }

    @Override
    public FeatureSchema schema() {
        return schema.features();
    }

    /** The row count recorded in the footer (no data is read). */
    @Override
    public OptionalLong rowCount() {
        return OptionalLong.of(rows);
    }

    @Override
    public ParquetBatchCursor open() {
        return new ParquetBatchCursor(this, parent, options);
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
