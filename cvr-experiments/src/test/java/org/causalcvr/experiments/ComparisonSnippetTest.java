package org.causalcvr.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Using the library from Java" snippet, run exactly as printed there, on a tiny
 * in-memory world: three estimators, two seeds, the DJL backend found by name; the report folder it
 * writes holds the numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComparisonSnippetTest {
    @TempDir static Path tmp;
    private JsonObject report;
    private ExposureSource src;
    private ExposureSource src2;
    private CvrRuntime runtime;

    @BeforeAll
    void runTheReadmeSnippet() throws IOException {
        TinyWorld world = new TinyWorld(7);
        src = world.rows(0, 6000);
        src2 = world.rows(6000, 3000);
        runtime = CvrRuntime.load();
        Path dir = tmp.resolve("report");

        // --- the README snippet, verbatim ---
        Comparison.of(runtime)
                .estimators("base", "multi-ipw", "multi-dr")
                .seeds(1, 2)
                .backend("djl", Map.of("preset", "small", "epochs", "1"))
                .train(src)
                .test(src2)
                .run()
                .writeReport(dir);
        // --- end of snippet ---

        report =
                JsonParser.parseString(Files.readString(dir.resolve("report.json")))
                        .getAsJsonObject();
        assertThat(dir.resolve("report.md")).isRegularFile();
        assertThat(dir.resolve("auc.png")).isRegularFile();
    }

    @Test
    void everyEstimatorRanksConversionsBetterThanChance() {
        JsonObject summary = report.getAsJsonObject("summary");
        assertThat(summary.keySet()).containsExactly("base", "multi-ipw", "multi-dr");
        for (String arm : summary.keySet()) {
            JsonObject auc = summary.getAsJsonObject(arm).getAsJsonObject("cvr-exposure-true/auc");
            assertThat(auc.get("mean").getAsDouble())
                    .as(arm)
                    .isGreaterThan(0.5)
                    .isLessThanOrEqualTo(1);
            assertThat(auc.get("runs").getAsInt()).as(arm + " seeds").isEqualTo(2);
        }
    }

    @Test
    void everyRunKeepsItsModelsProvenance() {
        var runs = report.getAsJsonArray("runs");
        assertThat(runs).hasSize(6);
        for (JsonElement e : runs) {
            JsonObject run = e.getAsJsonObject();
            JsonObject p = run.getAsJsonObject("provenance");
            assertThat(p.get("estimator").getAsString()).isEqualTo(run.get("name").getAsString());
            assertThat(p.get("backend").getAsString()).isEqualTo("djl");
            assertThat(p.get("seed").getAsLong()).isEqualTo(run.get("seed").getAsLong());
            assertThat(p.getAsJsonObject("backendConfig").get("preset").getAsString())
                    .isEqualTo("small");
            Map<String, String> resolved =
                    runtime.estimator(run.get("name").getAsString())
                            .create(Map.of())
                            .config()
                            .asStrings();
            assertThat(p.getAsJsonObject("estimatorConfig").keySet())
                    .containsExactlyInAnyOrderElementsOf(resolved.keySet());
            JsonObject data = p.getAsJsonObject("trainingData");
            assertThat(data.get("description").getAsString()).isEqualTo(src.description());
            assertThat(data.get("rows").getAsLong()).isEqualTo(6000);
            assertThat(data.get("fingerprint").getAsString()).isEqualTo(src.fingerprint());
            assertThat(p.get("libraryVersion").getAsString()).isNotBlank();
            double auc = run.getAsJsonObject("metrics").get("cvr-exposure-true/auc").getAsDouble();
            assertThat(auc).isGreaterThan(0.5).isLessThanOrEqualTo(1);
        }
        assertThat(report.getAsJsonObject("provenance").get("seeds").getAsJsonArray()).hasSize(2);
    }
}
