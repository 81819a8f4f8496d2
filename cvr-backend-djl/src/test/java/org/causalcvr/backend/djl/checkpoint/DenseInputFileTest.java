package org.causalcvr.backend.djl.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.causalcvr.backend.djl.DenseWorld;
import org.causalcvr.backend.djl.DjlBackend;
import org.causalcvr.backend.djl.DjlBackendTest;
import org.causalcvr.backend.djl.TestEstimators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * model.json's {@code denseInput}: checked field by field like the rest of the file, and a model
 * saved before the network read dense fields (no {@code denseInput}) still loads, as it was
 * trained: with its dense fields off.
 */
class DenseInputFileTest {
    @TempDir static Path dir;
    private static DenseWorld world;
    private static Path withDense;
    private static Path withoutDense;
    private static float[] offPredictions;

    @BeforeAll
    static void save() {
        world = DenseWorld.draw(2000, 5);
        withDense = dir.resolve("dense");
        withoutDense = dir.resolve("off");
        for (String transform : new String[] {"log-standardise", "off"}) {
            try (var backend = DjlBackendTest.backend(Map.of("dense-features", transform));
                    var model =
                            backend.train(
                                    TrainingRequest.of(
                                            TestEstimators.esmmLike(), world.source("dense")))) {
                if (transform.equals("off")) {
                    model.save(withoutDense);
                    offPredictions = model.predict(world.batch).cvr();
                } else {
                    model.save(withDense);
                }
            }
        }
    }

    /** A copy of {@code model} whose model.json is edited and its checksum recomputed. */
    private static Path forged(Path model, String name, Consumer<JsonObject> edit)
            throws IOException {
        Path copy = dir.resolve(name);
        Files.createDirectories(copy);
        Files.copy(model.resolve(ModelFiles.PARAMS), copy.resolve(ModelFiles.PARAMS));
        JsonObject o =
                JsonParser.parseString(
                                Files.readString(
                                        model.resolve(ModelFiles.JSON), StandardCharsets.UTF_8))
                        .getAsJsonObject();
        o.remove(ModelJson.CHECKSUM);
        edit.accept(o);
        o.addProperty(ModelJson.CHECKSUM, ModelJson.checksumOf(o));
        Files.writeString(copy.resolve(ModelFiles.JSON), o.toString());
        return copy;
    }

    private static JsonObject firstColumn(JsonObject o) {
        return o.getAsJsonObject("denseInput").getAsJsonArray("columns").get(0).getAsJsonObject();
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

    @Test
    void aModelSavedBeforeDenseInputsLoadsWithItsDenseFieldsOff() throws IOException {
        Path legacy = forged(withoutDense, "legacy", o -> o.remove("denseInput"));
        try (DjlBackend backend = DjlBackendTest.backend(Map.of());
                var model = backend.load(legacy)) {
            assertThat(model.predict(world.batch).cvr()).containsExactly(offPredictions);
        }
    }

    @Test
    void everyFieldOfTheDenseInputIsChecked() throws IOException {
        assertRefused(
                forged(withDense, "renamed", o -> firstColumn(o).addProperty("name", "cost")),
                "denseInput.columns[0].name",
                "'price'");
        assertRefused(
                forged(withDense, "zero-scale", o -> firstColumn(o).addProperty("scale", 0)),
                "denseInput.columns[0].scale");
        assertRefused(
                forged(
                        withDense,
                        "transform",
                        o -> o.getAsJsonObject("denseInput").addProperty("transform", "log")),
                "denseInput.transform",
                "log-standardise");
        assertRefused(
                forged(
                        withoutDense,
                        "on-without-columns",
                        o ->
                                o.getAsJsonObject("denseInput")
                                        .addProperty("transform", "standardise")),
                "denseInput.columns",
                "need 2");
        // A dense input read with fewer columns than params.bin holds is caught by its size.
        assertRefused(
                forged(
                        withDense,
                        "off-with-params",
                        o -> {
                            o.getAsJsonObject("denseInput").addProperty("transform", "off");
                            o.getAsJsonObject("denseInput")
                                    .add("columns", new com.google.gson.JsonArray());
                        }),
                "params.bin");
    }
}
