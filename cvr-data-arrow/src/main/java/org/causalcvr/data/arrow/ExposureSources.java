package org.causalcvr.data.arrow;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.data.ExposureSource;

/**
 * The one place that opens an exposure log by path, whatever its format: a folder (its Parquet and
 * Arrow files as one log, see {@link FolderExposureSource}), a Parquet file (by its {@code PAR1}
 * magic) or an Arrow IPC file or stream.
 *
 * <pre>{@code
 * ExposureSource train = ExposureSources.open(Path.of("train.parquet"), memory);
 * }</pre>
 */
public final class ExposureSources {
    private ExposureSources() {}

    /** Opens {@code path} read strictly, with checksum verification. */
    public static ExposureSource open(Path path, Allocators memory) {
        return open(path, memory.root(), ReadOptions.strict());
    }

    /** Opens {@code path}; cursors allocate from children of {@code parent}. */
    public static ExposureSource open(Path path, BufferAllocator parent, ReadOptions options) {
        if (Files.isDirectory(path)) {
            return FolderExposureSource.open(path, parent, options);
        }
        return openFile(path, parent, options, null);
    }

    /**
     * Opens {@code path}, a Parquet file or a folder of Parquet files without the exposure-log
     * metadata (a table written by Spark, for example), through {@code mapping}.
     *
     * @throws org.causalcvr.api.DataException naming the file if it is not Parquet or lacks a
     *     mapped column
     */
    public static ExposureSource open(
            Path path, BufferAllocator parent, ReadOptions options, ColumnMapping mapping) {
        if (Files.isDirectory(path)) {
            return FolderExposureSource.open(path, parent, options, mapping);
        }
        return openFile(path, parent, options, mapping);
    }

    /** A single file: Parquet or Arrow IPC by its first bytes; a mapping needs Parquet. */
    static ExposureSource openFile(
            Path path, BufferAllocator parent, ReadOptions options, ColumnMapping mapping) {
        ArrowExposureSource.checkReadable(path);
        boolean parquet = ParquetFiles.hasParquetMagic(path) || ParquetFiles.isParquetName(path);
        if (mapping != null) {
            if (!parquet) {
                throw org.causalcvr.api.DataException.inFile(
                        path,
                        "a column mapping applies to Parquet files only (an Arrow exposure log"
                                + " carries its own schema)");
            }
            return ParquetExposureSource.mapped(path, parent, options, mapping);
        }
        if (parquet) {
            return ParquetExposureSource.file(path, parent, options);
        }
        return ArrowExposureSource.open(path, parent, options);
    }
}
