package org.causalcvr.backend.djl.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;

/**
 * The provenance and schema parts of {@code model.json}: written from the records, and read back
 * with every field's type checked through {@link JsonFields} (one line naming the field).
 */
final class ProvenanceJson {
    private ProvenanceJson() {}

    static JsonObject provenanceJson(Provenance p) {
        var o = new JsonObject();
        o.addProperty("estimator", p.estimator());
        o.add("estimatorConfig", stringsJson(p.estimatorConfig()));
        o.addProperty("backend", p.backend());
        o.add("backendConfig", stringsJson(p.backendConfig()));
        o.addProperty("seed", p.seed());
        o.addProperty("dataFingerprint", p.dataFingerprint());
        o.addProperty("schema", p.schema());
        o.addProperty("libraryVersion", p.libraryVersion());
        o.addProperty("createdAt", p.createdAt());
        return o;
    }

    private static JsonObject stringsJson(Map<String, String> map) {
        var o = new JsonObject();
        map.forEach(o::addProperty);
        return o;
    }

    static Provenance provenance(JsonFields f, JsonObject o) {
        String p = "provenance";
        return new Provenance(
                f.name(o, p, "estimator"),
                strings(f, f.object(o, p, "estimatorConfig"), p + ".estimatorConfig"),
                f.name(o, p, "backend"),
                strings(f, f.object(o, p, "backendConfig"), p + ".backendConfig"),
                f.integer(o, p, "seed", Long.MIN_VALUE, Long.MAX_VALUE),
                f.string(o, p, "dataFingerprint"),
                f.string(o, p, "schema"),
                f.string(o, p, "libraryVersion"),
                f.string(o, p, "createdAt"));
    }

    private static Map<String, String> strings(JsonFields f, JsonObject o, String path) {
        var out = new LinkedHashMap<String, String>();
        for (String key : o.keySet()) {
            out.put(key, f.string(o, path, key));
        }
        return out;
    }

    static JsonObject schemaJson(FeatureSchema schema) {
        var o = new JsonObject();
        var fields = new JsonArray();
        for (FeatureField f : schema.fields()) {
            var fo = new JsonObject();
            fo.addProperty("name", f.name());
            fo.addProperty("role", f.role().name().toLowerCase(Locale.ROOT));
            fo.addProperty("cardinality", f.cardinality());
            fo.addProperty("multiValued", f.multiValued());
            fields.add(fo);
        }
        o.add("fields", fields);
        if (!schema.dense().isEmpty()) {
            // The names and roles; how the network reads them is model.json's denseInput.
            var dense = new JsonArray();
            for (DenseField d : schema.dense()) {
                var d0 = new JsonObject();
                d0.addProperty("name", d.name());
                d0.addProperty("role", d.role().name().toLowerCase(Locale.ROOT));
                dense.add(d0);
            }
            o.add("dense", dense);
        }
        o.addProperty("hasGroup", schema.hasGroup());
        o.addProperty("hasGroundTruth", schema.hasGroundTruth());
        return o;
    }

    static FeatureSchema schema(JsonFields f, JsonObject o) {
        JsonArray array = f.array(o, "schema", "fields", ModelJson.MAX_FIELDS);
        List<FeatureField> fields = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String path = "schema.fields[" + i + "]";
            if (!array.get(i).isJsonObject()) {
                throw f.error(path, "is not an object");
            }
            JsonObject fo = array.get(i).getAsJsonObject();
            String name = f.name(fo, path, "name");
            FieldRole role = f.choice(fo, path, "role", FieldRole.class);
            long cardinality = f.integer(fo, path, "cardinality", 1, Long.MAX_VALUE);
            boolean multi = f.bool(fo, path, "multiValued");
            try {
                fields.add(new FeatureField(name, role, cardinality, multi));
            } catch (IllegalArgumentException e) {
                throw f.error(path, "is not a valid field: " + ModelJson.oneLine(e.getMessage()));
            }
        }
        List<DenseField> dense = new ArrayList<>();
        if (o.has("dense")) {
            JsonArray denseArray = f.array(o, "schema", "dense", ModelJson.MAX_FIELDS);
            for (int i = 0; i < denseArray.size(); i++) {
                String path = "schema.dense[" + i + "]";
                if (!denseArray.get(i).isJsonObject()) {
                    throw f.error(path, "is not an object");
                }
                JsonObject d = denseArray.get(i).getAsJsonObject();
                String name = f.name(d, path, "name");
                FieldRole role = f.choice(d, path, "role", FieldRole.class);
                try {
                    dense.add(new DenseField(name, role));
                } catch (IllegalArgumentException e) {
                    throw f.error(
                            path,
                            "is not a valid dense field: " + ModelJson.oneLine(e.getMessage()));
                }
            }
        }
        try {
            return new FeatureSchema(
                    fields,
                    f.bool(o, "schema", "hasGroup"),
                    f.bool(o, "schema", "hasGroundTruth"),
                    dense);
        } catch (IllegalArgumentException e) {
            throw f.error("schema", "is not a valid schema: " + ModelJson.oneLine(e.getMessage()));
        }
    }
}
