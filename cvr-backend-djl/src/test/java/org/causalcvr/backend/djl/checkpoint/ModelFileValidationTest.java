package org.causalcvr.backend.djl.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.backend.djl.DjlBackend;
import org.causalcvr.backend.djl.DjlBackendTest;
import org.causalcvr.backend.djl.SyntheticWorld;
import org.causalcvr.backend.djl.TestEstimators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder is checked like a data file: an edit anywhere is caught by the checksum, and a
 * file whose checksum was forged still has every field checked for type and range before anything
 * is allocated; every defect is one line naming the file and the field.
 */
class ModelFileValidationTest {
    @TempDir static Path dir;
    private static Path saved;

    @BeforeAll
    static void save() {
        saved = dir.resolve("model");
        try (var backend = DjlBackendTest.backend(Map.of());
                var model =
                        backend.train(
                                TrainingRequest.of(
                                        TestEstimators.esmmLike(), SyntheticWorld.small(300, 2)))) {
            model.save(saved);
        }
    }

    /** A copy of the saved model, with {@code edit} applied to its model.json text. */
    private static Path copyWith(String name, java.util.function.UnaryOperator<String> edit)
            throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        Files.copy(saved.resolve(ModelFiles.PARAMS), copy.resolve(ModelFiles.PARAMS));
        String json = Files.readString(saved.resolve(ModelFiles.JSON), StandardCharsets.UTF_8);
        Files.writeString(copy.resolve(ModelFiles.JSON), edit.apply(json));
        return copy;
    }

    /** An edit whose checksum is recomputed, as a forger would: the field checks must catch it. */
    private static Path forged(String name, Consumer<JsonObject> edit) throws IOException {
        return copyWith(
                name,
                text -> {
                    JsonObject o = JsonParser.parseString(text).getAsJsonObject();
                    o.remove(ModelJson.CHECKSUM);
                    edit.accept(o);
                    o.addProperty(ModelJson.CHECKSUM, ModelJson.checksumOf(o));
                    return o.toString();
                });
    }

    private static void assertRefused(Path model, String... parts) {
        try (DjlBackend backend = DjlBackendTest.backend(Map.of())) {
            assertThatThrownBy(() -> backend.load(model).close())
                    .isInstanceOf(CvrException.class)
                    .hasMessageNotContaining("\n")
                    .hasMessageContaining(model.getFileName().toString())
                    .hasMessageContainingAll(parts);
        }
    }

    private static JsonObject firstTower(JsonObject o) {
        return o.getAsJsonArray("towers").get(0).getAsJsonObject();
    }

    @Test
    void theSavedModelLoads() {
        try (DjlBackend backend = DjlBackendTest.backend(Map.of());
                var model = backend.load(saved)) {
            assertThat(model.towers()).containsExactly("ctr", "cvr");
        }
    }

    @Test
    void anEditedActivationIsCaughtByTheChecksum() throws IOException {
        String json = Files.readString(saved.resolve(ModelFiles.JSON));
        // preset small's towers are PReLU
        assertThat(json).contains("\"activation\": \"prelu\"");
        Path m = copyWith("activation", t -> t.replaceFirst("\"prelu\"", "\"tanh\""));
        assertRefused(m, ModelFiles.JSON, "contentSha256", "edited");
    }

    @Test
    void anEditedEstimatorNameIsCaughtByTheChecksum() throws IOException {
        Path m = copyWith("estimator", t -> t.replace("\"esmm-like\"", "\"multi-dr\""));
        assertRefused(m, ModelFiles.JSON, "contentSha256");
    }

    @Test
    void aMissingKeyIsNamed() throws IOException {
        assertRefused(
                forged("missing", o -> o.remove("embeddingDim")), "'embeddingDim' is missing");
    }

    @Test
    void aWrongTypeIsNamed() throws IOException {
        assertRefused(
                forged("type", o -> o.addProperty("embeddingDim", "four")),
                "'embeddingDim' is not a number");
        assertRefused(
                forged("type2", o -> firstTower(o).addProperty("hidden", 16)),
                "'towers[0].hidden' is not an array");
        assertRefused(
                forged("type3", o -> firstTower(o).addProperty("activation", "swish")),
                "'towers[0].activation' = 'swish' is not one of");
    }

    @Test
    void aHugeHiddenSizeFailsBeforeAnythingIsAllocated() throws IOException {
        Path m =
                forged(
                        "huge",
                        o -> {
                            var h = new JsonArray();
                            h.add(30_000_000);
                            firstTower(o).add("hidden", h);
                        });
        long before = Runtime.getRuntime().totalMemory();
        assertRefused(m, "'towers[0].hidden[0]' = 30000000 is outside [1, 65536]");
        // A width within range but a parameter file too small for it is refused by size.
        Path wide =
                forged(
                        "wide",
                        o -> {
                            var h = new JsonArray();
                            h.add(65536);
                            h.add(65536);
                            firstTower(o).add("hidden", h);
                        });
        assertRefused(wide, ModelFiles.PARAMS, "bytes, but the towers of model.json need");
        assertThat(Runtime.getRuntime().totalMemory() - before).isLessThan(256L << 20);
    }

    @Test
    void aTruncatedParameterFileIsRefused() throws IOException {
        Path m = copyWith("truncated", t -> t);
        byte[] params = Files.readAllBytes(m.resolve(ModelFiles.PARAMS));
        Files.write(
                m.resolve(ModelFiles.PARAMS), java.util.Arrays.copyOf(params, params.length / 2));
        assertRefused(m, ModelFiles.PARAMS, "checksum differs");
    }

    @Test
    void notJsonIsRefused() throws IOException {
        assertRefused(copyWith("garbage", t -> t.substring(0, t.length() / 2)), "not valid JSON");
        assertRefused(copyWith("array", t -> "[1, 2]"), "not a JSON object");
    }

    @Test
    void noJavaDeserialisationInTheBackend() throws IOException {
        try (var files = Files.walk(Path.of("src/main/java"))) {
            assertThat(
                            files.filter(p -> p.toString().endsWith(".java"))
                                    .filter(
                                            p -> {
                                                try {
                                                    return Files.readString(p)
                                                            .contains("ObjectInputStream");
                                                } catch (IOException e) {
                                                    throw new java.io.UncheckedIOException(e);
                                                }
                                            })
                                    .toList())
                    .isEmpty();
        }
    }
}
