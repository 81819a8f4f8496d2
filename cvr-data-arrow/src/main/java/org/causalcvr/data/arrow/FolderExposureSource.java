package org.causalcvr.data.arrow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;

/**
 * A folder of Parquet and Arrow IPC files read as one exposure log, the files in name order (so
 * {@code part-00000}, {@code part-00001}, ... keep the order their writer gave them).
 *
 * <p>Names starting with {@code .} or {@code _} and names ending with {@code .crc} are not data
 * (Spark and Hadoop leave {@code _SUCCESS}, {@code _committed_*} and {@code .part-*.crc} files
 * beside the parts) and are skipped. Every other entry must be a readable exposure-log file, and
 * all files must have the same schema (features, roles, cardinalities, weight, group and
 * ground-truth columns); a sub-folder, a foreign file or a schema that differs is refused naming
 * the file. A cursor streams one file at a time, so memory stays that of the one file's cursor.
 */
public final class FolderExposureSource implements ExposureSource {
    private final Path folder;
    private final List<ExposureSource> files;
    private final ExposureLogSchema schema;
    private final String fingerprint;

    private FolderExposureSource(
            Path folder, BufferAllocator parent, ReadOptions options, ColumnMapping mapping) {
        this.folder = folder;
        List<Path> names = dataFiles(folder);
        if (names.isEmpty()) {
            throw DataException.inFile(
                    folder, "folder holds no Parquet or Arrow file (only hidden or _ files)");
        }
        List<ExposureSource> sources = new ArrayList<>();
        ExposureLogSchema first = null;
        Path firstName = null;
        StringBuilder prints = new StringBuilder();
        for (Path p : names) {
            ExposureSource s = ExposureSources.openFile(p, parent, options, mapping);
            ExposureLogSchema ls = logSchema(s);
            if (first == null) {
                first = ls;
                firstName = p;
            } else if (!first.equals(ls)) {
                throw DataException.inFile(
                        p,
                        "schema differs from the folder's first file "
                                + firstName.getFileName()
                                + " ("
                                + ls.features().describe()
                                + " vs "
                                + first.features().describe()
                                + "); all files of a folder must have one schema");
            }
            sources.add(s);
            prints.append(s.fingerprint()).append('/');
        }
        this.files = List.copyOf(sources);
        this.schema = first;
        this.fingerprint =
                "folder-" + names.size() + "-" + Integer.toHexString(prints.toString().hashCode());
    }

    /** The folder's data files, read with {@code options}. */
    public static FolderExposureSource open(
            Path folder, BufferAllocator parent, ReadOptions options) {
        return new FolderExposureSource(folder, parent, options, null);
    }

    /** The folder's Parquet files, their columns mapped by {@code mapping}. */
    public static FolderExposureSource open(
            Path folder, BufferAllocator parent, ReadOptions options, ColumnMapping mapping) {
        return new FolderExposureSource(folder, parent, options, mapping);
    }

    private static ExposureLogSchema logSchema(ExposureSource s) {
        if (s instanceof ArrowExposureSource a) {
            return a.logSchema();
        }
        return ((ParquetExposureSource) s).logSchema();
    }

    /** Whether a folder entry is data: not hidden, not a marker, not a checksum file. */
    static boolean isDataName(String name) {
        return !name.startsWith(".")
                && !name.startsWith("_")
                && !name.toLowerCase(Locale.ROOT).endsWith(".crc");
    }

    private static List<Path> dataFiles(Path folder) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path p : entries.sorted().toList()) {
                if (!isDataName(p.getFileName().toString())) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    throw DataException.inFile(
                            p,
                            "is a sub-folder; a folder log must hold its files directly"
                                    + " (partitioned folders are not read)");
                }
                out.add(p);
            }
        } catch (IOException e) {
            throw DataException.inFile(
                    folder, "cannot list (" + Allocators.oneLine(e.toString()) + ")");
        }
        return out;
    }

    /** The folder. */
    public Path path() {
        return folder;
    }

    /** The files read, in order. */
    public List<ExposureSource> files() {
        return files;
    }

    /** The full exposure-log schema shared by every file. */
    public ExposureLogSchema logSchema() {
        return schema;
    }

    @Override
    public FeatureSchema schema() {
        return schema.features();
    }

    /** The sum of the files' row counts, when every file knows its own. */
    @Override
    public OptionalLong rowCount() {
        long sum = 0;
        for (ExposureSource s : files) {
            OptionalLong n = s.rowCount();
            if (n.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += n.getAsLong();
        }
        return OptionalLong.of(sum);
    }

    @Override
    public BatchCursor open() {
        return new BatchCursor() {
            private int next;
            private BatchCursor cursor;
            private boolean closed;

            @Override
            public boolean next() {
                if (closed) {
                    throw new IllegalStateException("Cursor over " + folder + " is closed");
                }
                while (true) {
                    if (cursor != null && cursor.next()) {
                        return true;
                    }
                    if (cursor != null) {
                        cursor.close();
                        cursor = null;
                    }
                    if (next >= files.size()) {
                        return false;
                    }
                    cursor = files.get(next++).open();
                }
            }

            @Override
            public ExposureBatch batch() {
                if (cursor == null) {
                    throw new IllegalStateException("No current batch: call next() first");
                }
                return cursor.batch();
            }

            @Override
            public void close() {
                closed = true;
                if (cursor != null) {
                    cursor.close();
                    cursor = null;
                }
            }
        };
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String description() {
        return folder.toString();
    }
}
