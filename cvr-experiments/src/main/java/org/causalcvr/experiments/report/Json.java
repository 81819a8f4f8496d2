package org.causalcvr.experiments.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializationContext;
import com.google.gson.JsonSerializer;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one JSON configuration of reports and the tool: pretty, stable field order, and strictly
 * valid JSON.
 *
 * <p>Field order: a map keeps its own iteration order, except a map whose order the JDK leaves
 * unspecified ({@code Map.of}, {@link HashMap} and the like), which is written with its keys
 * sorted: {@code Map.of} iterates in an order salted per JVM start, and the same run must give the
 * same bytes on every start.
 *
 * <p>JSON has no NaN or infinity, and strict parsers reject Gson's bare {@code NaN} token. {@link
 * #write} therefore writes a non-finite number as {@code null}; when it is a field of an object, a
 * sibling {@code "<field>Note"} says why (for example {@code "auc": null, "aucNote": "undefined
 * (NaN): ..."}). Inside an array a non-finite number is a plain {@code null}.
 */
public final class Json {
    /**
     * The configured Gson, for reading. Writing goes through {@link #write}, which replaces
     * non-finite numbers (this instance alone would write bare {@code NaN}).
     */
    public static final Gson GSON =
            new GsonBuilder()
                    .setPrettyPrinting()
                    .serializeSpecialFloatingPointValues()
                    .disableHtmlEscaping()
                    .registerTypeHierarchyAdapter(Map.class, new StableOrderMaps())
                    .create();

    /** Writes trees with their explicit nulls (the nulls that replace non-finite numbers). */
    private static final Gson TREE_WRITER = GSON.newBuilder().serializeNulls().create();

    /** Suffix of the field that explains a {@code null} written for a non-finite number. */
    public static final String NOTE_SUFFIX = "Note";

    private Json() {}

    /** {@code value} as pretty, strictly valid JSON (non-finite numbers as {@code null}). */
    public static String write(Object value) {
        return TREE_WRITER.toJson(finite(GSON.toJsonTree(value)));
    }

    /** {@code element} with every non-finite number replaced as {@link #write} describes. */
    static JsonElement finite(JsonElement element) {
        if (element.isJsonObject()) {
            JsonObject in = element.getAsJsonObject();
            JsonObject out = new JsonObject();
            for (Map.Entry<String, JsonElement> e : new ArrayList<>(in.entrySet())) {
                String why = nonFinite(e.getValue());
                if (why == null) {
                    out.add(e.getKey(), finite(e.getValue()));
                } else {
                    out.add(e.getKey(), JsonNull.INSTANCE);
                    if (!in.has(e.getKey() + NOTE_SUFFIX)) {
                        out.addProperty(e.getKey() + NOTE_SUFFIX, why);
                    }
                }
            }
            return out;
        }
        if (element.isJsonArray()) {
            JsonArray out = new JsonArray();
            for (JsonElement e : element.getAsJsonArray()) {
                out.add(nonFinite(e) == null ? finite(e) : JsonNull.INSTANCE);
            }
            return out;
        }
        return element;
    }

    /** Why {@code e} cannot be a JSON number, or null when it can. */
    private static String nonFinite(JsonElement e) {
        if (!(e instanceof JsonPrimitive p) || !p.isNumber()) {
            return null;
        }
        double d = p.getAsDouble();
        if (Double.isNaN(d)) {
            return "undefined (NaN): the value cannot be computed from these rows, for example"
                    + " an AUC without positive or without negative labels";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "infinite (+Infinity)" : "infinite (-Infinity)";
        }
        return null;
    }

    /**
     * Writes a map as Gson would (keys as {@code String.valueOf}, null values left out, two keys
     * that print alike refused), but in a defined order: its own where it has one, otherwise sorted
     * by key.
     */
    private static final class StableOrderMaps implements JsonSerializer<Map<?, ?>> {
        @Override
        public JsonElement serialize(Map<?, ?> map, Type type, JsonSerializationContext context) {
            Map<String, Object> ordered =
                    hasDefinedOrder(map) ? new LinkedHashMap<>() : new TreeMap<>();
            map.forEach(
                    (k, v) -> {
                        // Gson's own map adapter refuses two keys that print alike; so does this.
                        if (ordered.containsKey(String.valueOf(k))) {
                            throw new IllegalArgumentException("duplicate JSON key: " + k);
                        }
                        ordered.put(String.valueOf(k), v);
                    });
            JsonObject out = new JsonObject();
            ordered.forEach(
                    (k, v) -> {
                        if (v != null) {
                            out.add(k, context.serialize(v));
                        }
                    });
            return out;
        }

        /**
         * False only for the maps whose iteration order the JDK leaves unspecified; a wrapper
         * ({@code Collections.unmodifiableMap}) is taken to keep the order of what it wraps, which
         * is how this code base uses it (around a {@link LinkedHashMap}).
         */
        private static boolean hasDefinedOrder(Map<?, ?> map) {
            if (map instanceof LinkedHashMap) {
                return true;
            }
            return !(map instanceof HashMap
                    || map instanceof Hashtable
                    || map instanceof IdentityHashMap
                    || map instanceof WeakHashMap
                    || map instanceof ConcurrentHashMap
                    || map.getClass().getName().startsWith("java.util.ImmutableCollections$"));
        }
    }
}
