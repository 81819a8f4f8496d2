package org.causalcvr.backend.djl.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.causalcvr.api.CvrException;

/**
 * Typed, range-checked reads of one JSON file's fields: every missing key, wrong type or value out
 * of range becomes a one-line {@link CvrException} naming the file and the field's path (such as
 * {@code towers[1].hidden[0]}), before anything is built from it.
 */
final class JsonFields {
    private final Path file;

    JsonFields(Path file) {
        this.file = file;
    }

    CvrException error(String field, String problem) {
        return new CvrException(file + ": field '" + field + "' " + problem);
    }

    private JsonElement get(JsonObject o, String path, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw error(join(path, key), "is missing");
        }
        return e;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    JsonObject object(JsonObject o, String path, String key) {
        JsonElement e = get(o, path, key);
        if (!e.isJsonObject()) {
            throw error(join(path, key), "is not an object");
        }
        return e.getAsJsonObject();
    }

    JsonArray array(JsonObject o, String path, String key, int maxSize) {
        JsonElement e = get(o, path, key);
        if (!e.isJsonArray()) {
            throw error(join(path, key), "is not an array");
        }
        JsonArray a = e.getAsJsonArray();
        if (a.size() > maxSize) {
            throw error(join(path, key), "has " + a.size() + " entries, at most " + maxSize);
        }
        return a;
    }

    String string(JsonObject o, String path, String key) {
        JsonElement e = get(o, path, key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(join(path, key), "is not a string");
        }
        return e.getAsString();
    }

    /** A string that is not blank. */
    String name(JsonObject o, String path, String key) {
        String s = string(o, path, key);
        if (s.isBlank()) {
            throw error(join(path, key), "is empty");
        }
        return s;
    }

    boolean bool(JsonObject o, String path, String key) {
        JsonElement e = get(o, path, key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw error(join(path, key), "is not true or false");
        }
        return e.getAsBoolean();
    }

    long integer(JsonObject o, String path, String key, long min, long max) {
        return integer(get(o, path, key), join(path, key), min, max);
    }

    long integer(JsonElement e, String field, long min, long max) {
        BigDecimal v = number(e, field);
        long n;
        try {
            n = v.longValueExact();
        } catch (ArithmeticException ex) {
            throw error(
                    field,
                    "= "
                            + v.toPlainString()
                            + " is not a whole number in ["
                            + min
                            + ", "
                            + max
                            + "]");
        }
        if (n < min || n > max) {
            throw error(field, "= " + n + " is outside [" + min + ", " + max + "]");
        }
        return n;
    }

    /** A finite number in [min, max]. */
    double real(JsonObject o, String path, String key, double min, double max) {
        String field = join(path, key);
        double d = number(get(o, path, key), field).doubleValue();
        if (!(d >= min && d <= max)) {
            throw error(field, "= " + d + " is outside [" + min + ", " + max + "]");
        }
        return d;
    }

    private BigDecimal number(JsonElement e, String field) {
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isNumber()) {
            throw error(field, "is not a number");
        }
        try {
            return e.getAsBigDecimal();
        } catch (NumberFormatException ex) {
            throw error(field, "is not a finite number");
        }
    }

    <E extends Enum<E>> E choice(JsonObject o, String path, String key, Class<E> type) {
        String s = string(o, path, key);
        try {
            return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw error(
                    join(path, key),
                    "= '"
                            + s
                            + "' is not one of "
                            + Arrays.stream(type.getEnumConstants())
                                    .map(c -> c.name().toLowerCase(Locale.ROOT))
                                    .toList());
        }
    }
}
