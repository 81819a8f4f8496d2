package org.causalcvr.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.util.HashMap;
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

    @Test
    void aMapWithoutADefinedOrderIsWrittenWithSortedKeysSoEveryStartWritesTheSameBytes() {
        // Map.of iterates in an order salted per JVM start: ten keys come out sorted by chance
        // once in 10! starts, so without the sort this fails on almost every run.
        Map<String, Object> unordered =
                Map.of(
                        "j", 1, "c", 2, "h", 3, "a", 4, "f", 5, "b", 6, "i", 7, "e", 8, "d", 9, "g",
                        10);

        String text = Json.write(Map.of("tests", unordered));

        assertThat(parseStrictly(text).getAsJsonObject().getAsJsonObject("tests").keySet())
                .containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    }

    @Test
    void aMapWithAnInsertionOrderKeepsItAndAnUnorderedOneInsideAListIsSorted() {
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("zeta", 1);
        ordered.put("mu", List.of(Map.of("e", 1, "d", 2, "c", 3, "b", 4, "a", 5)));
        ordered.put("alpha", 2);

        JsonObject o = parseStrictly(Json.write(ordered)).getAsJsonObject();

        assertThat(o.keySet()).containsExactly("zeta", "mu", "alpha");
        assertThat(o.getAsJsonArray("mu").get(0).getAsJsonObject().keySet())
                .containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void twoKeysThatPrintAlikeAreRefusedAsGsonRefusesThem() {
        Map<Object, Object> clash = new HashMap<>();
        clash.put(1, "the number");
        clash.put("1", "the string");

        assertThatThrownBy(() -> Json.write(clash))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate JSON key: 1");
    }
}
