package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command run as a user runs it: a separate {@code java} process with the built classes and
 * jars, its standard output read through a pipe (not in-process, where an unflushed writer would go
 * unnoticed). Checks what reaches the pipe: the evaluate table, strictly valid JSON, and no line of
 * the engine's own log unless asked for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealProcessTest {
    @TempDir static Path dir;
    Path train;
    Path model;

    record Result(int code, String out, String err) {}

    Result cvr(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire's full test class path: target/classes and every dependency jar
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command =
                new ArrayList<>(
                        List.of(
                                java,
                                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                                "-Dai.djl.offline=true",
                                "-Djava.awt.headless=true",
                                "-Dcvr.home=" + dir.resolve("install"),
                                "-cp",
                                classPath,
                                Cvr.class.getName()));
        command.addAll(List.of(args));
        Path cwd = Files.createDirectories(dir.resolve("cwd").resolve("deeper"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().remove(EngineLog.VERBOSE_VARIABLE);
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("cvr " + String.join(" ", args) + " did not finish");
        }
        Result r =
                new Result(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    Result cvr(String... args) throws IOException, InterruptedException {
        return cvr(Map.of(), args);
    }

    static JsonObject parseStrictly(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        return JsonParser.parseReader(reader).getAsJsonObject();
    }

    @BeforeAll
    void trainAModelInRealProcesses() throws Exception {
        train = dir.resolve("train.arrow");
        model = dir.resolve("model");
        Result g =
                cvr(
                        "generate",
                        "--preset",
                        "small",
                        "--rows",
                        "2000",
                        "--seed",
                        "3",
                        "--out",
                        train.toString());
        assertThat(g.code()).as(g.err()).isZero();
        assertThat(g.out()).as("generate says what it wrote").contains(train.toString());
        Result t =
                cvr(
                        "train",
                        "--estimator",
                        "base",
                        "--train",
                        train.toString(),
                        "--model",
                        model.toString(),
                        "--preset",
                        "small",
                        "--epochs",
                        "1",
                        "--quiet");
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(model.resolve("model.json")).exists();
    }

    @Test
    void evaluatePrintsItsTableThroughAPipeAndNoEngineLog() throws Exception {
        Result r = cvr("evaluate", "--model", model.toString(), "--data", train.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).as("the table reaches the pipe").containsIgnoringCase("auc");
        assertThat(r.err()).doesNotContain("AutoNonVariableTypeMode");
    }

    @Test
    void evaluateJsonIsStrictJson() throws Exception {
        Result r =
                cvr("evaluate", "--model", model.toString(), "--data", train.toString(), "--json");

        assertThat(r.code()).as(r.err()).isZero();
        JsonObject root = parseStrictly(r.out());
        assertThat(root.has("metrics")).as(r.out()).isTrue();
    }

    @Test
    void predictWritesItsFileAndSaysSo() throws Exception {
        Path scores = dir.resolve("scores.csv");
        Result r =
                cvr(
                        "predict",
                        "--model",
                        model.toString(),
                        "--data",
                        train.toString(),
                        "--out",
                        scores.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isNotBlank();
        assertThat(r.err()).doesNotContain("AutoNonVariableTypeMode");
        assertThat(Files.readAllLines(scores)).hasSize(2001);
    }

    @Test
    void estimatorsListsThroughAPipe() throws Exception {
        Result r = cvr("estimators");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("multi-dr");
    }

    @Test
    void withoutAnInstalledCoatFolderConvertAsksForOne() throws Exception {
        // a data/coat planted above the working directory is never used
        Path planted = Files.createDirectories(dir.resolve("data").resolve("coat"));
        Files.writeString(planted.resolve("train.ascii"), "1 0\n");

        Result r = cvr("convert", "coat", "--out", dir.resolve("coat-out").toString());

        assertThat(r.code()).as(r.err()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(r.err().lines().filter(l -> l.startsWith("cvr: ")).toList())
                .singleElement()
                .asString()
                .contains("--coat DIR")
                .doesNotContain(planted.toString());
        assertThat(dir.resolve("coat-out")).doesNotExist();
    }
}
