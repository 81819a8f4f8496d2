package org.causalcvr.data.arrow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.dataset.file.DatasetFileWriter;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.Util;
import org.causalcvr.api.DataException;
import org.causalcvr.api.io.AtomicFolders;

/**
 * Parquet files: recognising them, reading their footer, and writing one from an Arrow IPC file.
 *
 * <p>Data pages are written and read by Arrow Dataset's native Parquet implementation (Arrow C++
 * through JNI, the same code as pyarrow). Its Java writer drops the schema's metadata, so the
 * exposure-log metadata (and the content checksum) are added to the footer's key/value metadata
 * here, with Parquet's own Thrift footer classes ({@code parquet-format-structures}).
 */
public final class ParquetFiles {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ParquetFiles() {}

    /**
     * Converts an exposure-log Arrow IPC file (as our writers write it) into a Parquet file with
     * the same rows, metadata and content checksum, atomically.
     */
    public static void convert(Path arrowFile, Path parquetFile, Allocators memory) {
        ArrowExposureSource source = ArrowExposureSource.file(arrowFile, memory);
        Map<String, String> kv =
                new LinkedHashMap<>(source.logSchema().toArrow().getCustomMetadata());
        if (source.checksum() != null) {
            kv.put(ContentChecksum.KEY, source.checksum());
        }
        fromArrow(arrowFile, parquetFile, memory.root(), kv);
    }

    /** Whether {@code path}'s name says Parquet ({@code .parquet}, any case). */
    static boolean isParquetName(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /** Whether the file starts with Parquet's magic bytes. */
    static boolean hasParquetMagic(Path path) {
        byte[] head = new byte[4];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.read(ByteBuffer.wrap(head)) < 4) {
                return false;
            }
        } catch (IOException e) {
            throw DataException.inFile(
                    path, "cannot read (" + Allocators.oneLine(e.toString()) + ")");
        }
        return java.util.Arrays.equals(head, MAGIC);
    }

    /**
     * The footer of a Parquet file.
     *
     * @throws DataException naming the file when it is not a complete Parquet file
     */
    static FileMetaData readFooter(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(4);
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (size >= 12) {
                ch.read(head, 0);
                ch.read(tail, size - 8);
            }
            if (size < 12
                    || !java.util.Arrays.equals(head.array(), MAGIC)
                    || !java.util.Arrays.equals(
                            java.util.Arrays.copyOfRange(tail.array(), 4, 8), MAGIC)) {
                throw DataException.inFile(
                        path,
                        "not a readable Parquet file (no PAR1 magic at "
                                + (size >= 12 && java.util.Arrays.equals(head.array(), MAGIC)
                                        ? "its end: truncated"
                                        : "its start")
                                + ")");
            }
            int length = tail.getInt(0);
            if (length <= 0 || length > size - 12) {
                throw DataException.inFile(
                        path,
                        "not a readable Parquet file (footer length "
                                + length
                                + " does not fit in "
                                + size
                                + " bytes: truncated or corrupt)");
            }
            ByteBuffer footer = ByteBuffer.allocate(length);
            ch.read(footer, size - 8 - length);
            return Util.readFileMetaData(new ByteArrayInputStream(footer.array()));
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw DataException.inFile(
                    path,
                    "not a readable Parquet file (corrupt footer: "
                            + Allocators.oneLine(e.toString())
                            + ")");
        }
    }

    /** The footer's key/value metadata, in file order. */
    static Map<String, String> keyValues(FileMetaData footer) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (footer.isSetKey_value_metadata()) {
            for (KeyValue e : footer.getKey_value_metadata()) {
                kv.put(e.getKey(), e.getValue());
            }
        }
        return kv;
    }

    /**
     * Converts the Arrow IPC file {@code arrow} into a Parquet file at {@code target}, atomically:
     * Arrow's native writer writes into a temporary folder beside the target, the footer gets the
     * key/value metadata {@code kv}, and the result is renamed onto the target.
     */
    static void fromArrow(Path arrow, Path target, BufferAllocator parent, Map<String, String> kv) {
        Path work = null;
        Path out = null;
        try {
            work = AtomicFolders.stagingFolder(target);
            out = AtomicFolders.stagingFile(target);
            Files.delete(out); // written below with CREATE_NEW
            try (BufferAllocator a =
                    parent.newChildAllocator("parquet " + target, 0, Long.MAX_VALUE)) {
                try (FileChannel ch = FileChannel.open(arrow, StandardOpenOption.READ);
                        ArrowFileReader reader = new ArrowFileReader(ch, a)) {
                    DatasetFileWriter.write(a, reader, FileFormat.PARQUET, work.toUri().toString());
                }
                awaitNativeRelease(a);
            }
            List<Path> written;
            try (Stream<Path> files = Files.list(work)) {
                written = new ArrayList<>(files.sorted(Comparator.naturalOrder()).toList());
            }
            if (written.size() != 1) {
                throw new IOException(
                        "the Parquet writer wrote " + written.size() + " files, expected 1");
            }
            withKeyValues(written.get(0), out, kv);
            Files.move(
                    out,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw DataException.inFile(
                    target, "cannot write Parquet (" + Allocators.oneLine(e.toString()) + ")");
        } finally {
            if (out != null) {
                deleteQuietly(out);
            }
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    /**
     * The native writer releases the last batch it imported from a thread of its own, shortly after
     * {@code write} returns: wait for it (bounded) so that the allocator closes without a leak.
     */
    private static void awaitNativeRelease(BufferAllocator a) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (a.getAllocatedMemory() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Copies Parquet file {@code in} to {@code out} with {@code kv} added to its footer. */
    private static void withKeyValues(Path in, Path out, Map<String, String> kv)
            throws IOException {
        FileMetaData footer = readFooter(in);
        for (Map.Entry<String, String> e : kv.entrySet()) {
            footer.addToKey_value_metadata(new KeyValue(e.getKey()).setValue(e.getValue()));
        }
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        Util.writeFileMetaData(footer, encoded);
        try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ);
                FileChannel dst =
                        FileChannel.open(
                                out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = src.size();
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            src.read(tail, size - 8);
            long body = size - 8 - tail.getInt(0);
            long copied = 0;
            while (copied < body) {
                copied += src.transferTo(copied, body - copied, dst);
            }
            ByteBuffer end = ByteBuffer.allocate(encoded.size() + 8).order(ByteOrder.LITTLE_ENDIAN);
            end.put(encoded.toByteArray()).putInt(encoded.size()).put(MAGIC).flip();
            while (end.hasRemaining()) {
                dst.write(end);
            }
            dst.force(true);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary name, never the target
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(ParquetFiles::deleteQuietly);
        } catch (IOException ignored) {
            // best effort on our own temporary folder
        }
        deleteQuietly(dir);
    }
}
