package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin built outside the repository (test resource {@code external-plugin}: the estimator
 * {@code my-dr}, one Guice module and one services file) is compiled against cvr-api alone, passes
 * its own tests, and trains through the {@code cvr} entry point from {@code --plugins} or {@code
 * CVR_PLUGIN_PATH}, with a finite loss and a better-than-chance AUC on a small world.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalPluginTest {
    @TempDir static Path dir;
    Path jar;
    Path train;
    Path test;

    record Result(int code, String out, String err) {}

    static Result cvr(Map<String, String> environment, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code =
                Cvr.execute(
                        args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    void buildThePluginAndAWorld() throws Exception {
        PluginProject project = PluginProject.copy(source(), dir.resolve("my-dr"));
        jar = project.buildJar(dir.resolve("plugins/my-dr.jar"));
        train = dir.resolve("train.arrow");
        test = dir.resolve("test.arrow");
        Result generated =
                cvr(
                        Map.of(),
                        "generate",
                        "--preset",
                        "small",
                        "--rows",
                        "8000",
                        "--seed",
                        "5",
                        "--out",
                        train.toString(),
                        "--test-rows",
                        "4000",
                        "--test-out",
                        test.toString());
        assertThat(generated.code()).as(generated.err()).isZero();
    }

    private static Path source() throws URISyntaxException {
        return Path.of(ExternalPluginTest.class.getResource("/external-plugin/pom.xml").toURI())
                .getParent();
    }

    @Test
    void thePluginIsCompiledAgainstTheApiAlone() {
        var classPath = PluginProject.apiClassPath().stream().map(Path::toString).toList();
        assertThat(classPath).anyMatch(p -> p.contains("cvr-api"));
        assertThat(classPath)
                .noneMatch(
                        p ->
                                p.contains("cvr-estimators")
                                        || p.contains("cvr-backend-djl")
                                        || p.contains("cvr-examples"));
    }

    @Test
    void thePluginPassesItsOwnTestsAndTheTestKit() throws Exception {
        var summary = PluginProject.copy(source(), dir.resolve("tests")).runTests(jar);
        assertThat(summary.getFailures())
                .as(
                        () ->
                                summary.getFailures().stream()
                                        .map(
                                                f ->
                                                        f.getTestIdentifier().getDisplayName()
                                                                + ": "
                                                                + f.getException())
                                        .toList()
                                        .toString())
                .isEmpty();
        // its own 3 tests and the conformance kit's (MyDrConformanceTest extends cvr-testkit's
        // EstimatorConformanceTest, the project's one test dependency)
        assertThat(summary.getTestsSucceededCount()).isGreaterThanOrEqualTo(3 + 8);
    }

    @Test
    void itTrainsThroughTheCliFromThePluginsOption() {
        Path model = dir.resolve("model-option");
        Result trained =
                cvr(
                        Map.of(),
                        "--plugins",
                        jar.toString(),
                        "train",
                        "--estimator",
                        "my-dr",
                        "--train",
                        train.toString(),
                        "--model",
                        model.toString(),
                        "--preset",
                        "small",
                        "--epochs",
                        "2",
                        "--seed",
                        "3",
                        "--quiet");
        assertThat(trained.code()).as(trained.err()).isZero();
        assertFiniteLosses(trained.out(), "ctr", "cvr", "imputation");

        Result evaluated =
                cvr(
                        Map.of(),
                        "evaluate",
                        "--plugins",
                        jar.toString(),
                        "--model",
                        model.toString(),
                        "--data",
                        test.toString(),
                        "--json");
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        JsonObject root = JsonParser.parseString(evaluated.out()).getAsJsonObject();
        assertThat(root.get("estimator").getAsString()).isEqualTo("my-dr");
        assertThat(metric(root, "cvr-exposure-true", "auc"))
                .isGreaterThan(0.55)
                .isLessThanOrEqualTo(1);
        assertThat(metric(root, "ctr", "auc")).isGreaterThan(0.55).isLessThanOrEqualTo(1);
    }

    @Test
    void theEnvironmentVariableLoadsAFolderOfPluginJars() {
        Result listed =
                cvr(
                        Map.of("CVR_PLUGIN_PATH", jar.getParent().toString()),
                        "estimators",
                        "--name",
                        "my-dr");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(listed.out())
                .contains("my-dr", "propensity-floor", "com.example.mydr.MyDrModule");
    }

    @Test
    void theOptionWinsOverTheEnvironmentVariable() {
        Result r =
                cvr(
                        Map.of("CVR_PLUGIN_PATH", dir.resolve("no-such-folder").toString()),
                        "--plugins",
                        jar.toString(),
                        "estimators",
                        "--name",
                        "my-dr");
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void aMissingPluginPathIsOneLineNamingIt() {
        Path missing = dir.resolve("missing.jar");
        Result r = cvr(Map.of(), "--plugins", missing.toString(), "estimators");
        assertThat(r.code()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains(missing.toString(), "does not exist");
    }

    @Test
    void withoutThePluginTheEstimatorIsUnknown() {
        Result r = cvr(Map.of(), "estimators", "--name", "my-dr");
        assertThat(r.code()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(r.err()).contains("my-dr");
    }

    static double metric(JsonObject root, String space, String metric) {
        for (var e : root.getAsJsonArray("metrics")) {
            JsonObject m = e.getAsJsonObject();
            if (m.get("space").getAsString().equals(space)
                    && m.get("metric").getAsString().equals(metric)) {
                return m.get("value").getAsDouble();
            }
        }
        throw new AssertionError("No " + space + " " + metric + " in " + root);
    }

    /** Each term's first and last reported loss, from train's summary line, is finite. */
    static void assertFiniteLosses(String trainOutput, String... terms) {
        for (String term : terms) {
            var m =
                    Pattern.compile(
                                    "\\b"
                                            + Pattern.quote(term)
                                            + " (-?[0-9.]+(?:E-?[0-9]+)?) -> (-?[0-9.]+(?:E-?[0-9]+)?)")
                            .matcher(trainOutput);
            assertThat(m.find()).as(term + " in " + trainOutput).isTrue();
            assertThat(Double.parseDouble(m.group(1))).isFinite();
            assertThat(Double.parseDouble(m.group(2))).isFinite().isGreaterThanOrEqualTo(0);
        }
    }
}
