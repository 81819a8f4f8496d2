package org.causalcvr.backend.djl.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.backend.djl.model.DenseInput;
import org.causalcvr.backend.djl.model.DenseTransform;

/**
 * The {@code denseInput} part of {@code model.json}, present exactly when the schema has dense
 * fields:
 *
 * <pre>{@code
 * "denseInput": {"transform": "log-standardise",
 *                "columns": [{"name": "D508", "center": 0.21, "scale": 0.13}, ...]}
 * }</pre>
 *
 * <p>A model of a schema with dense fields but no {@code denseInput} was saved before the network
 * read them: it is loaded as it was trained, with the dense fields off.
 */
final class DenseInputJson {
    static final String KEY = "denseInput";

    private DenseInputJson() {}

    static JsonObject json(DenseInput input) {
        var o = new JsonObject();
        o.addProperty("transform", ConfigKey.enumText(input.transform()));
        var columns = new JsonArray();
        for (DenseInput.Column c : input.columns()) {
            var co = new JsonObject();
            co.addProperty("name", c.name());
            co.addProperty("center", c.center());
            co.addProperty("scale", c.scale());
            columns.add(co);
        }
        o.add("columns", columns);
        return o;
    }

    /** The dense input recorded in {@code json} for {@code schema}, checked against it. */
    static DenseInput read(JsonFields f, JsonObject json, FeatureSchema schema) {
        if (!json.has(KEY)) {
            return DenseInput.NONE;
        }
        if (schema.dense().isEmpty()) {
            throw f.error(KEY, "is present, but the schema has no dense field");
        }
        JsonObject o = f.object(json, "", KEY);
        String text = f.string(o, KEY, "transform");
        DenseTransform transform;
        try {
            transform = DenseTransform.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw f.error(
                    KEY + ".transform",
                    "= '"
                            + text
                            + "' is not one of "
                            + java.util.Arrays.stream(DenseTransform.values())
                                    .map(ConfigKey::enumText)
                                    .toList());
        }
        JsonArray array = f.array(o, KEY, "columns", ModelJson.MAX_FIELDS);
        int expected = transform == DenseTransform.OFF ? 0 : schema.dense().size();
        if (array.size() != expected) {
            throw f.error(
                    KEY + ".columns",
                    "has "
                            + array.size()
                            + " columns, the schema's "
                            + schema.dense().size()
                            + " dense fields need "
                            + expected);
        }
        List<DenseInput.Column> columns = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String path = KEY + ".columns[" + i + "]";
            if (!array.get(i).isJsonObject()) {
                throw f.error(path, "is not an object");
            }
            JsonObject c = array.get(i).getAsJsonObject();
            String name = f.name(c, path, "name");
            String field = schema.dense().get(i).name();
            if (!name.equals(field)) {
                throw f.error(
                        path + ".name", "= '" + name + "', the schema's field is '" + field + "'");
            }
            columns.add(
                    new DenseInput.Column(
                            name,
                            f.real(c, path, "center", -Double.MAX_VALUE, Double.MAX_VALUE),
                            f.real(c, path, "scale", Double.MIN_VALUE, Double.MAX_VALUE)));
        }
        return new DenseInput(transform, columns);
    }
}
