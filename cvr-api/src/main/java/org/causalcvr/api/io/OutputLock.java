package org.causalcvr.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.causalcvr.api.CvrException;

/**
 * An exclusive claim on an output path for as long as one run writes it, so that a second run into
 * the same model, checkpoint or report folder is refused with one line instead of racing the first
 * (the last writer would win silently).
 *
 * <p>The claim is a hidden lock file beside the target, {@code .<name>.lock}, holding the owner's
 * process id (for the message), on which the owner holds an operating-system file lock. The
 * operating system releases that lock when the process dies, however it dies ({@code kill -9}
 * included), so a lock file left by a dead process is stale by construction: the next run takes it
 * over. Within one JVM a second claim on the same path is refused as well. Closing the lock removes
 * the lock file.
 */
public final class OutputLock implements AutoCloseable {
    private static final int ATTEMPTS = 10;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code target}: {@code .<name>.lock} in the same folder. */
    public static Path lockFile(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent() == null ? abs : abs.getParent();
        String name = abs.getFileName() == null ? "root" : abs.getFileName().toString();
        return parent.resolve("." + name + ".lock");
    }

    /**
     * Claims {@code target} for this run.
     *
     * @param what names the output in the refusal, such as {@code model folder}
     * @throws CvrException naming the path and the process that holds it, if another run does
     */
    public static OutputLock acquire(Path target, String what) {
        Path file = lockFile(target);
        try {
            Files.createDirectories(file.getParent());
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                FileChannel channel =
                        FileChannel.open(
                                file,
                                StandardOpenOption.CREATE,
                                StandardOpenOption.READ,
                                StandardOpenOption.WRITE);
                Object inode = inode(file);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    channel.close();
                    throw inUse(target, what, file, "this process");
                }
                if (lock == null) {
                    String holder = holder(channel);
                    channel.close();
                    throw inUse(target, what, file, holder);
                }
                // The previous owner may have removed the file between our open and our lock:
                // then we hold a lock on a file nobody else sees, so try again.
                if (inode == MISSING || !inode.equals(inode(file))) {
                    lock.release();
                    channel.close();
                    continue;
                }
                channel.truncate(0);
                channel.write(
                        ByteBuffer.wrap(
                                (ProcessHandle.current().pid() + "\n")
                                        .getBytes(StandardCharsets.UTF_8)),
                        0);
                channel.force(false);
                return new OutputLock(file, channel, lock);
            }
            throw new CvrException(file + ": could not take the lock, it keeps changing");
        } catch (IOException e) {
            throw new CvrException(file + ": cannot create the lock file: " + e.getMessage(), e);
        }
    }

    private static CvrException inUse(Path target, String what, Path file, String holder) {
        return new CvrException(
                "The "
                        + what
                        + " "
                        + target
                        + " is being written by another run ("
                        + holder
                        + ", lock "
                        + file
                        + "); wait for it to finish or choose another path");
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(64);
            channel.read(buf, 0);
            String pid = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
            return pid.matches("[0-9]+") ? "process " + pid : "another process";
        } catch (IOException e) {
            return "another process";
        }
    }

    private static final Object MISSING = new Object();
    private static final Object UNKNOWN = new Object();

    /** The file's identity (device and inode), {@link #MISSING}, or {@link #UNKNOWN}. */
    private static Object inode(Path file) {
        try {
            Object key =
                    Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
                            .fileKey();
            return key == null ? UNKNOWN : key;
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Releases the claim and removes the lock file. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The lock is released below all the same; a leftover file is taken over next time.
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock; the process exit would too.
        }
    }
}
