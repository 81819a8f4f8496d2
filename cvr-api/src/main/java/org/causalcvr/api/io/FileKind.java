package org.causalcvr.api.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A kind of single file the library writes (an exposure log, a predictions file), and how to
 * recognise one that it wrote, so that replacing it loses nothing of the user's: the file
 * counterpart of {@link FolderKind}.
 *
 * <p>Contract: {@link #notOurs} returns empty only when the file carries the kind's mark; a file it
 * cannot read is not ours.
 */
public interface FileKind {
    /** What the file is, in words, such as {@code causal-cvr exposure log}. */
    String description();

    /**
     * Why {@code file} (an existing regular file) is not a file of this kind, or empty if it is.
     */
    Optional<String> notOurs(Path file);

    /**
     * A kind whose files begin with one of {@code magics} and hold {@code mark} (ASCII) within
     * their first or last {@code window} bytes: where the formats the library writes keep their
     * metadata (an Arrow schema message at the start, a Parquet footer at the end).
     *
     * @param description what the file is, in words
     * @param magics the byte strings a file of this kind starts with
     * @param mark a string the library writes into every such file's metadata; empty when the magic
     *     alone marks the file (a format of the library's own)
     * @param window how many bytes at each end are searched for the mark
     */
    static FileKind marked(String description, List<byte[]> magics, String mark, int window) {
        byte[] needle = mark.getBytes(StandardCharsets.US_ASCII);
        return new FileKind() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Optional<String> notOurs(Path file) {
                try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                    long size = in.length();
                    byte[] head = read(in, 0, (int) Math.min(size, window));
                    boolean magic = magics.stream().anyMatch(m -> startsWith(head, m));
                    if (!magic) {
                        return Optional.of("it is not in a format causal-cvr writes");
                    }
                    if (contains(head, needle)) {
                        return Optional.empty();
                    }
                    long tailStart = Math.max(0, size - window);
                    if (tailStart > 0
                            && contains(read(in, tailStart, (int) (size - tailStart)), needle)) {
                        return Optional.empty();
                    }
                    return Optional.of("it has no " + mark + " metadata");
                } catch (IOException | RuntimeException e) {
                    return Optional.of("it cannot be read (" + e.getMessage() + ")");
                }
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    private static byte[] read(RandomAccessFile in, long from, int length) throws IOException {
        byte[] out = new byte[length];
        in.seek(from);
        in.readFully(out);
        return out;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        if (data.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (data[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
