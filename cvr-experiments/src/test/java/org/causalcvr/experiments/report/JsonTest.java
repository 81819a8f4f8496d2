package org.causalcvr.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Everything the tool writes as JSON is strictly valid JSON, NaN and infinities included. */
class JsonTest {

    static JsonElement parseStrictly(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        return JsonParser.parseReader(reader);
    }

    @Test
    void aNaNMetricIsNullWithANoteAndTheTextParsesStrictly() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("auc", Double.NaN);
        metrics.put("logLoss", 0.25);
        metrics.put("ratio", Double.POSITIVE_INFINITY);
        metrics.put("series", List.of(1.0, Double.NaN));
        metrics.put("absent", null);

        String text = Json.write(Map.of("metrics", metrics));

        assertThat(text).doesNotContainPattern("[:\\[,]\\s*-?(NaN|Infinity)");
        JsonObject m = parseStrictly(text).getAsJsonObject().getAsJsonObject("metrics");
        assertThat(m.get("auc").isJsonNull()).isTrue();
        assertThat(m.get("aucNote").getAsString()).startsWith("undefined");
        assertThat(m.get("logLoss").getAsDouble()).isEqualTo(0.25);
        assertThat(m.get("ratio").isJsonNull()).isTrue();
        assertThat(m.get("ratioNote").getAsString()).contains("infinite");
        assertThat(m.getAsJsonArray("series").get(1).isJsonNull()).isTrue();
        assertThat(m.has("absent")).as("a null map value stays omitted, as before").isFalse();
    }
}
