package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, items 1 and 2: an output path is replaced only when it is recognisably ours, nothing
 * beside it is touched, and a model is read from the path given or not at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputSafetyTest {
    @TempDir static Path dir;
    Path train;
    Path model;

    record Result(int code, String out, String err) {}

    static Result cvr(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Cvr.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    Result train(Path modelPath, String... extra) {
        var args =
                new ArrayList<>(
                        List.of(
                                "train",
                                "--estimator",
                                "base",
                                "--train",
                                train.toString(),
                                "--model",
                                modelPath.toString(),
                                "--preset",
                                "small",
                                "--epochs",
                                "1",
                                "--quiet"));
        args.addAll(List.of(extra));
        return cvr(args.toArray(String[]::new));
    }

    static void assertRefusedNaming(Result r, Path path) {
        assertThat(r.code()).as(r.err()).isEqualTo(Cvr.BAD_INPUT);
        // One error line (warnings, such as a test file that shares training rows, may precede it).
        var errors = r.err().lines().filter(l -> l.startsWith("cvr: ")).toList();
        assertThat(errors).as(r.err()).hasSize(1);
        assertThat(errors.get(0)).contains(path.toString());
    }

    @BeforeAll
    void world() {
        train = dir.resolve("train.arrow");
        Result r =
                cvr(
                        "generate",
                        "--preset",
                        "small",
                        "--rows",
                        "3000",
                        "--seed",
                        "3",
                        "--out",
                        train.toString());
        assertThat(r.code()).as(r.err()).isZero();
        model = dir.resolve("model");
        assertThat(train(model).code()).isZero();
    }

    @Test
    void trainingIntoAFolderOfTheUsersRefusesAndKeepsItsFiles() throws IOException {
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.writeString(victim.resolve("thesis.txt"), "x");

        assertRefusedNaming(train(victim), victim);
        assertThat(victim.resolve("thesis.txt")).hasContent("x");
        try (var entries = Files.list(victim)) {
            assertThat(entries).hasSize(1);
        }
    }

    @Test
    void trainingOntoAFileRefusesAndKeepsIt() throws IOException {
        Path file = Files.writeString(dir.resolve("some-file.txt"), "data");

        assertRefusedNaming(train(file), file);
        assertThat(file).hasContent("data");
    }

    @Test
    void retrainingReplacesOurModelAndLeavesAUsersSiblingAlone() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("again.old"));
        Files.writeString(mine.resolve("keep.txt"), "mine");
        Path again = dir.resolve("again");
        assertThat(train(again).code()).isZero();
        byte[] first = Files.readAllBytes(again.resolve("params.bin"));

        Result second = train(again, "--seed", "9");

        assertThat(second.code()).as(second.err()).isZero();
        assertThat(Files.readAllBytes(again.resolve("params.bin"))).isNotEqualTo(first);
        assertThat(mine.resolve("keep.txt")).hasContent("mine");
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith(".again"));
        }
    }

    @Test
    void aMissingModelIsNotReadFromALeftOverTwin() throws IOException {
        Path ghost = dir.resolve("ghost");
        Path twin = Files.createDirectories(dir.resolve("ghost.old"));
        for (String f : List.of("model.json", "params.bin")) {
            Files.copy(model.resolve(f), twin.resolve(f));
        }

        Result r =
                cvr(
                        "predict",
                        "--model",
                        ghost.toString(),
                        "--data",
                        train.toString(),
                        "--out",
                        dir.resolve("scores.csv").toString());

        assertRefusedNaming(r, ghost);
        assertThat(dir.resolve("scores.csv")).doesNotExist();
    }

    @Test
    void aCheckpointFolderHoldingSomethingElseIsRefusedBeforeTraining() throws IOException {
        Path checkpoints = Files.createDirectories(dir.resolve("ck"));
        Path foreign = Files.createDirectories(checkpoints.resolve("checkpoint"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");

        Result r = train(dir.resolve("m2"), "--checkpoints", checkpoints.toString());

        assertThat(r.code()).as(r.err()).isNotZero();
        assertThat(r.err()).contains(foreign.toString());
        assertThat(foreign.resolve("notes.txt")).hasContent("mine");
        assertThat(dir.resolve("m2")).doesNotExist();
    }

    @Test
    void aReportIntoAFolderOfTheUsersIsRefusedBeforeAnyTraining() throws IOException {
        Path victim = Files.createDirectories(dir.resolve("report-victim"));
        Files.writeString(victim.resolve("draft.md"), "x");

        Result r =
                cvr(
                        "compare",
                        "--estimators",
                        "base",
                        "--train",
                        train.toString(),
                        "--test",
                        train.toString(),
                        "--seeds",
                        "1",
                        "--preset",
                        "small",
                        "--epochs",
                        "1",
                        "--quiet",
                        "--report",
                        victim.toString());

        assertRefusedNaming(r, victim);
        assertThat(victim.resolve("draft.md")).hasContent("x");
    }
}
