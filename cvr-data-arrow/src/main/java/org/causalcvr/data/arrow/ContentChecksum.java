package org.causalcvr.data.arrow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.causalcvr.api.DataException;

/**
 * A content checksum of an exposure log: one CRC32C digest per block of {@code blockRows}
 * consecutive rows (the last block may be shorter), over the logical values of every column.
 *
 * <p>The digest of a block is the CRC32C of the concatenated 4-byte little-endian CRC32Cs of its
 * columns, in schema order (labels, features, weights, group, ground truth). A fixed-width column
 * contributes its values' little-endian bytes; a list column contributes each row's length as a
 * 32-bit integer and then its child values. Because the digest covers values, not the file's
 * buffers or batch boundaries, it is the same for an Arrow IPC file and the Parquet file converted
 * from it, and a reader whose batches do not line up with the blocks still checks every block
 * (CRC32C streams, so a block split across two batches is fed in two parts).
 *
 * <p>Written by {@link ExposureWriter} under the metadata key {@value #KEY} as {@code
 * crc32c:<blockRows>:<hex digest>,<hex digest>,...}; checked by the readers when present (Arrow IPC
 * files keep it in the footer, Parquet files in the key/value metadata). The cost is one CRC32C
 * pass (a CPU instruction on x86 and ARM) over the bytes a scan already touches.
 */
final class ContentChecksum {
    /** The metadata key of the checksum. */
    static final String KEY = "causalcvr.checksum";

    private static final String ALGORITHM = "crc32c";

    private final int blockRows;
    private final List<Integer> digests = new ArrayList<>();
    private final int[] expected;
    private final String source;
    private CRC32C[] columns = new CRC32C[0];
    private final CRC32C block = new CRC32C();
    private final ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer lengths = ByteBuffer.allocate(0);
    private long rows;
    private int rowsInBlock;
    private int batch;

    private ContentChecksum(int blockRows, int[] expected, String source) {
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be at least 1, got " + blockRows);
        }
        this.blockRows = blockRows;
        this.expected = expected;
        this.source = source;
    }

    /** A checksum to be computed while writing, with blocks of {@code blockRows} rows. */
    static ContentChecksum computing(int blockRows) {
        return new ContentChecksum(blockRows, null, null);
    }

    /**
     * A checker of the checksum {@code value} (as written under {@link #KEY}).
     *
     * @throws DataException naming {@code source} if the value cannot be parsed
     */
    static ContentChecksum checking(String value, String source) {
        String[] parts = value.split(":", -1);
        try {
            if (parts.length != 3 || !parts[0].equals(ALGORITHM)) {
                throw new IllegalArgumentException("not crc32c:<rows>:<digests>");
            }
            int blockRows = Integer.parseInt(parts[1]);
            String[] hex = parts[2].isEmpty() ? new String[0] : parts[2].split(",", -1);
            int[] expected = new int[hex.length];
            for (int i = 0; i < hex.length; i++) {
                expected[i] = (int) Long.parseLong(hex[i], 16);
            }
            return new ContentChecksum(blockRows, expected, source);
        } catch (IllegalArgumentException e) {
            throw new DataException(
                    source
                            + ": metadata '"
                            + KEY
                            + "' is malformed ("
                            + Allocators.oneLine(e.getMessage())
                            + ")");
        }
    }

    /**
     * Feeds rows {@code [0, rows)} of {@code v}, the reader's batch {@code batchIndex}; when
     * checking, throws at the first block whose digest differs.
     */
    void update(ExposureVectors v, int rows, int batchIndex) {
        this.batch = batchIndex;
        List<FieldVector> cols = v.root.getFieldVectors();
        if (columns.length != cols.size()) {
            columns = new CRC32C[cols.size()];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = new CRC32C();
            }
        }
        int done = 0;
        while (done < rows) {
            int take = Math.min(rows - done, blockRows - rowsInBlock);
            for (int c = 0; c < columns.length; c++) {
                feed(columns[c], cols.get(c), done, take);
            }
            done += take;
            rowsInBlock += take;
            this.rows += take;
            if (rowsInBlock == blockRows) {
                endBlock();
            }
        }
    }

    /**
     * Ends the data: closes the last, partial block and, when checking, insists that the data had
     * exactly the blocks the checksum lists.
     */
    void finish() {
        if (rowsInBlock > 0) {
            endBlock();
        }
        if (expected != null && digests.size() != expected.length) {
            throw new DataException(
                    source
                            + ": holds "
                            + rows
                            + " rows in "
                            + digests.size()
                            + " checksum blocks, but its content checksum lists "
                            + expected.length
                            + " blocks (rows were lost or added after it was written)");
        }
    }

    /** The metadata value for the digests computed so far (call {@link #finish()} first). */
    String value() {
        StringBuilder sb = new StringBuilder(ALGORITHM).append(':').append(blockRows).append(':');
        for (int i = 0; i < digests.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(Integer.toHexString(digests.get(i)));
        }
        return sb.toString();
    }

    private void endBlock() {
        block.reset();
        for (CRC32C c : columns) {
            word.clear();
            word.putInt(0, (int) c.getValue());
            block.update(word);
            c.reset();
        }
        int digest = (int) block.getValue();
        int index = digests.size();
        digests.add(digest);
        if (expected != null) {
            long last = rows - 1;
            long first = rows - rowsInBlock;
            if (index >= expected.length || expected[index] != digest) {
                throw new DataException(
                        source
                                + ", batch "
                                + batch
                                + " (rows "
                                + first
                                + "-"
                                + last
                                + "): content checksum mismatch ("
                                + ALGORITHM
                                + " "
                                + hex(digest)
                                + ", written "
                                + (index < expected.length ? hex(expected[index]) : "none")
                                + "); the file was corrupted after it was written");
            }
        }
        rowsInBlock = 0;
    }

    private static String hex(int x) {
        return HexFormat.of().toHexDigits(x).toLowerCase(Locale.ROOT);
    }

    private void feed(CRC32C crc, FieldVector vector, int from, int count) {
        if (vector instanceof BaseFixedWidthVector fixed) {
            int width = fixed.getTypeWidth();
            crc.update(fixed.getDataBuffer().nioBuffer((long) from * width, count * width));
        } else if (vector instanceof ListVector list) {
            ArrowBuf offsets = list.getOffsetBuffer();
            int start = offsets.getInt((long) from * Integer.BYTES);
            int end = offsets.getInt((long) (from + count) * Integer.BYTES);
            if (lengths.capacity() < count * Integer.BYTES) {
                lengths =
                        ByteBuffer.allocate(Math.max(count, 1024) * Integer.BYTES)
                                .order(ByteOrder.LITTLE_ENDIAN);
            }
            int prev = start;
            for (int r = 0; r < count; r++) {
                int next = offsets.getInt((long) (from + r + 1) * Integer.BYTES);
                lengths.putInt(r * Integer.BYTES, next - prev);
                prev = next;
            }
            crc.update(lengths.array(), 0, count * Integer.BYTES);
            FieldVector child = list.getDataVector();
            if (end > start) {
                feed(crc, child, start, end - start);
            }
        } else {
            throw new IllegalStateException("no checksum for column type " + vector.getField());
        }
    }
}
