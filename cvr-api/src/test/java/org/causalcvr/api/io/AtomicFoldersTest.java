package org.causalcvr.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.causalcvr.api.CvrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFoldersTest {
    static final FolderKind MODEL =
            FolderKind.marked(
                    "test model folder",
                    "model.json",
                    text -> text.equals("ours"),
                    name -> name.equals("model.json") || name.equals("params.bin"));

    @TempDir Path dir;

    private Path staged(Path target, String params) throws IOException {
        Path staging = AtomicFolders.stagingFolder(target);
        Files.writeString(staging.resolve("model.json"), "ours");
        Files.writeString(staging.resolve("params.bin"), params);
        return staging;
    }

    @Test
    void aFolderHoldingAUsersFileIsRefusedAndKeptWhole() throws IOException {
        Path victim = dir.resolve("victim");
        Files.createDirectories(victim);
        Files.writeString(victim.resolve("thesis.txt"), "x");
        Path staging = staged(victim, "new");

        assertThatThrownBy(() -> AtomicFolders.publish(staging, victim, MODEL))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining(victim.toString())
                .hasMessageContaining("thesis.txt")
                .hasMessageNotContaining("\n");
        assertThat(victim.resolve("thesis.txt")).hasContent("x");
        assertThat(staging).doesNotExist();
        assertThat(siblings()).containsExactly("victim");
    }

    @Test
    void ourFolderWithAForeignFileInsideIsNotOurs() throws IOException {
        Path model = dir.resolve("model");
        AtomicFolders.publish(staged(model, "v1"), model, MODEL);
        Files.writeString(model.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> AtomicFolders.requireReplaceable(model, MODEL))
                .hasMessageContaining("notes.txt");
        assertThat(model.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void aFileAtTheTargetIsRefusedAndKept() throws IOException {
        Path file = dir.resolve("some-file.txt");
        Files.writeString(file, "data");

        assertThatThrownBy(() -> AtomicFolders.requireReplaceable(file, MODEL))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining(file + " is a file");
        assertThat(file).hasContent("data");
    }

    @Test
    void aSymbolicLinkAtTheTargetIsRefusedAndItsTargetUntouched() throws IOException {
        Path real = dir.resolve("real");
        Files.createDirectories(real);
        Files.writeString(real.resolve("model.json"), "ours");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        assertThatThrownBy(() -> AtomicFolders.publish(staged(link, "v"), link, MODEL))
                .hasMessageContaining("symbolic link");
        assertThat(real.resolve("model.json")).hasContent("ours");
    }

    @Test
    void ourOwnFolderIsReplacedWhole() throws IOException {
        Path model = dir.resolve("model");
        AtomicFolders.publish(staged(model, "v1"), model, MODEL);
        AtomicFolders.publish(staged(model, "v2"), model, MODEL);

        assertThat(model.resolve("params.bin")).hasContent("v2");
        assertThat(siblings()).containsExactly("model");
    }

    @Test
    void anEmptyFolderIsReplaced() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        AtomicFolders.publish(staged(model, "v1"), model, MODEL);
        assertThat(model.resolve("params.bin")).hasContent("v1");
    }

    @Test
    void aSiblingNamedLikeAnOldCopyIsNeverTouched() throws IOException {
        Path model = dir.resolve("model");
        Path userOld = Files.createDirectories(dir.resolve("model.old"));
        Files.writeString(userOld.resolve("keep.txt"), "mine");
        AtomicFolders.publish(staged(model, "v1"), model, MODEL);
        AtomicFolders.publish(staged(model, "v2"), model, MODEL);

        assertThat(userOld.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void staleStagingOfTheSameTargetIsCleanedAndNothingElse() throws IOException {
        Path model = dir.resolve("model");
        // a process id that no running process has (above the Linux pid_max of 2^22)
        Path stale = Files.createDirectories(dir.resolve(".model.tmp-99999999-abc"));
        Path staleFile = Files.writeString(dir.resolve(".model.tmp-99999998-def"), "half");
        Path withoutPid = Files.createDirectories(dir.resolve(".model.tmp-123abc"));
        Path live = AtomicFolders.stagingFolder(model);
        Path otherTarget = AtomicFolders.stagingFolder(dir.resolve("other"));
        Path lookalike = Files.createDirectories(dir.resolve("model.tmp-mine"));

        AtomicFolders.deleteStaleStaging(model);

        assertThat(stale).doesNotExist();
        assertThat(staleFile).doesNotExist();
        assertThat(withoutPid).doesNotExist();
        assertThat(live).as("a running writer's staging").exists();
        assertThat(otherTarget).exists();
        assertThat(lookalike).exists();
    }

    @Test
    void stagingFoldersAreHiddenAndNamedAfterTheirTarget() {
        Path staging = AtomicFolders.stagingFolder(dir.resolve("model"));
        assertThat(staging.getFileName().toString()).startsWith(".model.tmp-");
        assertThat(staging.getParent()).isEqualTo(dir);
    }

    @Test
    void aStagingFileCleansWhatAKilledWriterOfTheSameTargetLeft() throws IOException {
        Path out = dir.resolve("train.arrow");
        Path killed = Files.writeString(dir.resolve(".train.arrow.tmp-99999999-x1"), "half");

        Path staging = AtomicFolders.stagingFile(out);

        assertThat(killed).doesNotExist();
        assertThat(staging.getFileName().toString()).startsWith(".train.arrow.tmp-");
        assertThat(staging).isEmptyFile();
    }

    @Test
    void stagedOutputsGetThePermissionsOfAPlainCreate() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plainFolder = Files.createDirectory(dir.resolve("plain"));
        Path plainFile = Files.createFile(dir.resolve("plain.txt"));

        Path folder = AtomicFolders.stagingFolder(dir.resolve("model"));
        AtomicFolders.writeString(dir.resolve("report.json"), "{}");

        assertThat(Files.getPosixFilePermissions(folder))
                .isEqualTo(Files.getPosixFilePermissions(plainFolder));
        assertThat(Files.getPosixFilePermissions(dir.resolve("report.json")))
                .isEqualTo(Files.getPosixFilePermissions(plainFile));
    }

    private java.util.List<String> siblings() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
