package org.causalcvr.backend.djl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Atomic replacement of files and directories: write beside the target, then rename. */
final class Files2 {
    private Files2() {}

    /** A fresh temporary directory next to {@code target} (same file system, so rename works). */
    static Path tempBeside(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    }

    /**
     * Deletes temporary directories that an interrupted write left next to {@code target} (only
     * call this where one writer owns {@code target}, as a training run owns its checkpoint).
     */
    static void deleteStaleTemps(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + target.getFileName() + ".tmp-";
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                if (p.getFileName().toString().startsWith(prefix)) {
                    deleteRecursively(p);
                }
            }
        }
    }

    /**
     * Makes {@code fresh} (a complete directory) the content of {@code target}: the old target is
     * first renamed to {@code <target>.old}, so at every instant one complete version is at {@code
     * target} or at {@code <target>.old} ({@link #existing} reads either).
     */
    static void replaceDirectory(Path fresh, Path target) throws IOException {
        Path old = target.resolveSibling(target.getFileName() + ".old");
        if (Files.exists(target)) {
            deleteRecursively(old);
            move(target, old);
        }
        move(fresh, target);
        deleteRecursively(old);
    }

    /**
     * {@code target} if it exists, else a left-over {@code <target>.old} if one exists, else null.
     */
    static Path existing(Path target) {
        if (Files.isDirectory(target)) {
            return target;
        }
        Path old = target.resolveSibling(target.getFileName() + ".old");
        return Files.isDirectory(old) ? old : null;
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
