package org.causalcvr.api.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.causalcvr.api.CvrException;

/**
 * Folders and files that appear complete or not at all: everything is written under a hidden
 * temporary name beside the target ({@code .<name>.tmp-*}) and renamed into place.
 *
 * <p>Contract: the only paths this class deletes are its own hidden staging folders and a target
 * that {@link #requireReplaceable} accepted. An existing target is replaced only when it is an
 * empty folder or a folder its {@link FolderKind} recognises, or a file its {@link FileKind}
 * recognises; anything else (a link, a folder with anything else in it, a file the library did not
 * write) is refused with one line naming the path. Nothing is ever read from or written to a
 * sibling the caller did not name (no {@code <target>.old} twin).
 */
public final class AtomicFolders {
    private static final String STAGING_INFIX = ".tmp-";
    private static final String REPLACED_INFIX = ".replaced-";

    private AtomicFolders() {}

    /**
     * Fails unless {@code target} may receive a folder of {@code kind}: it does not exist, or it is
     * an empty folder, or a folder of that kind. Call it before long work, so a run that could not
     * publish its result fails at once.
     *
     * @throws CvrException naming the path and why it is not replaceable
     */
    public static void requireReplaceable(Path target, FolderKind kind) {
        Optional<String> why =
                whyNotReplaceable(
                        target,
                        () -> {
                            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                                return Optional.of("is a file");
                            }
                            return isEmpty(target)
                                    ? Optional.empty()
                                    : kind.notOurs(target).map(w -> "exists and " + w);
                        });
        if (why.isPresent()) {
            throw notReplaceable(target, why.get(), kind.description());
        }
    }

    /**
     * Fails unless {@code target} may receive a file of {@code kind}: it does not exist, or it is a
     * regular file of that kind. Call it before the work, so a run that could not publish its
     * result fails at once and the user's file is never replaced.
     *
     * @throws CvrException naming the path and why it is not replaceable
     */
    public static void requireReplaceable(Path target, FileKind kind) {
        Optional<String> why =
                whyNotReplaceable(
                        target,
                        () ->
                                Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)
                                        ? Optional.of("is a folder")
                                        : kind.notOurs(target).map(w -> "exists and " + w));
        if (why.isPresent()) {
            throw notReplaceable(target, why.get(), kind.description());
        }
    }

    /**
     * Why an existing {@code target} may not be replaced: a link never may; anything else is judged
     * by {@code kindCheck}. Empty when it does not exist.
     */
    private static Optional<String> whyNotReplaceable(
            Path target, Supplier<Optional<String>> kindCheck) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (Files.isSymbolicLink(target)) {
            return Optional.of("is a symbolic link");
        }
        return kindCheck.get();
    }

    private static CvrException notReplaceable(Path target, String why, String kind) {
        return new CvrException(
                target
                        + " "
                        + why
                        + ", so it is not a "
                        + kind
                        + " to replace; choose another path or remove it yourself");
    }

    /**
     * A fresh hidden folder beside {@code target} (same file system, so the final rename is atomic)
     * to fill and then {@link #publish}.
     */
    public static Path stagingFolder(Path target) {
        Path parent = parentOf(target);
        try {
            Files.createDirectories(parent);
            return createUnique(parent, hiddenPrefix(target, STAGING_INFIX), true);
        } catch (IOException e) {
            throw new CvrException(target + ": cannot create a folder beside it: " + reason(e), e);
        }
    }

    /**
     * A fresh, empty hidden file beside {@code target} ({@code .<name>.tmp-<pid>-<random>}) to fill
     * and then {@link #move} onto the target. Staging files and folders of {@code target} that an
     * interrupted run left behind (their process is gone) are deleted first, so a {@code kill -9}
     * leaves at most one hidden file per target until the next run that writes it.
     *
     * <p>The file is created like any file the user creates: its permissions follow the umask
     * (unlike {@link Files#createTempFile}, whose 0600 would stick to the published file).
     */
    public static Path stagingFile(Path target) {
        Path parent = parentOf(target);
        try {
            Files.createDirectories(parent);
            deleteStaleStaging(target);
            return createUnique(parent, hiddenPrefix(target, STAGING_INFIX), false);
        } catch (IOException e) {
            throw new CvrException(target + ": cannot create a file beside it: " + reason(e), e);
        }
    }

    /**
     * Makes the complete folder {@code staging} the content of {@code target}, replacing a previous
     * folder only when {@link #requireReplaceable} accepts it. On failure the staging folder is
     * removed and the target is as it was.
     *
     * @throws CvrException naming the target if it is not replaceable or cannot be written
     */
    public static void publish(Path staging, Path target, FolderKind kind) {
        try {
            requireReplaceable(target, kind);
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                move(staging, target);
                return;
            }
            Path aside = createUnique(parentOf(target), hiddenPrefix(target, REPLACED_INFIX), true);
            Path old = aside.resolve("previous");
            move(target, old);
            try {
                move(staging, target);
            } catch (IOException e) {
                move(old, target);
                throw e;
            }
            deleteRecursively(aside);
        } catch (IOException e) {
            discard(staging);
            throw new CvrException(target + ": cannot write: " + reason(e), e);
        } catch (RuntimeException e) {
            discard(staging);
            throw e;
        }
    }

    /** Removes a staging folder from {@link #stagingFolder} that will not be published. */
    public static void discard(Path staging) {
        try {
            deleteRecursively(staging);
        } catch (IOException e) {
            // Best effort: a hidden staging folder left behind is cleaned by the next writer.
        }
    }

    /**
     * Deletes hidden staging and replaced folders and files that an interrupted writer of {@code
     * target} left beside it: those whose process is gone (its id is part of the name), and those
     * without a process id (written before ids were recorded). A live writer's staging is kept.
     */
    public static void deleteStaleStaging(Path target) {
        Path parent = parentOf(target);
        if (!Files.isDirectory(parent)) {
            return;
        }
        String staging = hiddenPrefix(target, STAGING_INFIX);
        String replaced = hiddenPrefix(target, REPLACED_INFIX);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
            for (Path p : siblings) {
                String name = p.getFileName().toString();
                String rest =
                        name.startsWith(staging)
                                ? name.substring(staging.length())
                                : name.startsWith(replaced)
                                        ? name.substring(replaced.length())
                                        : null;
                if (rest != null && !ownedByLiveProcess(rest)) {
                    deleteRecursively(p);
                }
            }
        } catch (IOException e) {
            throw new CvrException(parent + ": cannot clean: " + reason(e), e);
        }
    }

    /** Writes {@code text} to the file {@code target} atomically (UTF-8). */
    public static void writeString(Path target, String text) {
        Path parent = parentOf(target);
        try {
            Files.createDirectories(parent);
            Path tmp = createUnique(parent, hiddenPrefix(target, STAGING_INFIX), false);
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CvrException(target + ": cannot write: " + reason(e), e);
        }
    }

    /** Renames {@code from} to {@code to}, atomically where the file system can. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Files.walk does not follow links, so a link inside is deleted, not its target.
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Creates {@code <prefix><pid>-<random>} in {@code parent}: a folder or an empty file with the
     * permissions a plain mkdir or create gives under the user's umask (not the 0700/0600 of {@link
     * Files#createTempDirectory}).
     */
    private static Path createUnique(Path parent, String prefix, boolean folder)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p =
                    parent.resolve(
                            prefix
                                    + ProcessHandle.current().pid()
                                    + "-"
                                    + Long.toUnsignedString(
                                            ThreadLocalRandom.current().nextLong(), 36));
            try {
                return folder ? Files.createDirectory(p) : Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Whether the staging name tail {@code <pid>-<random>} belongs to a running process. */
    private static boolean ownedByLiveProcess(String tail) {
        int dash = tail.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(tail.substring(0, dash));
            return pid == ProcessHandle.current().pid()
                    || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static Path parentOf(Path target) {
        return target.toAbsolutePath().normalize().getParent();
    }

    private static String hiddenPrefix(Path target, String infix) {
        return "." + target.toAbsolutePath().normalize().getFileName() + infix;
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
