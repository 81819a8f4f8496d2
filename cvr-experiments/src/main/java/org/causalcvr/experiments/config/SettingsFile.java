package org.causalcvr.experiments.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.causalcvr.api.DataException;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.experiments.report.Json;

/**
 * A settings file: per estimator, the {@code key=value} settings to run it with (preset, epochs,
 * learning rate, its own keys...), as {@code cvr tune} writes them and {@code train}, {@code
 * compare} and {@code sweep} read them with {@code --settings}. Explicit options and {@code --set}
 * win over the file. JSON:
 *
 * <pre>{@code
 * {"format": "causal-cvr-settings", "tuned": true, "note": "how they were found",
 *  "estimators": {"multi-dr": {"preset": "small", "epochs": "9", "learning-rate": "0.00312"}}}
 * }</pre>
 *
 * @param tuned whether a search on validation data chose the settings (false: hand-set)
 * @param note how the settings were found (the command, the data, the score)
 * @param estimators per estimator name, its settings in order
 */
public record SettingsFile(
        boolean tuned, String note, Map<String, Map<String, String>> estimators) {
    /** The marker in every settings file. */
    public static final String FORMAT = "causal-cvr-settings";

    public SettingsFile {
        var copy = new LinkedHashMap<String, Map<String, String>>();
        estimators.forEach(
                (k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        estimators = Collections.unmodifiableMap(copy);
    }

    /** The settings of {@code estimator}, if the file has an entry for it. */
    public Optional<Map<String, String>> of(String estimator) {
        return Optional.ofNullable(estimators.get(estimator));
    }

    /**
     * This file with {@code estimator}'s entry added or replaced; {@code note} becomes the note.
     */
    public SettingsFile with(
            String estimator, Map<String, String> settings, boolean tuned, String note) {
        var more = new LinkedHashMap<>(estimators);
        more.put(estimator, settings);
        return new SettingsFile(tuned && this.tuned, note, more);
    }

    /** An empty file, tuned until a hand-set entry is added. */
    public static SettingsFile empty() {
        return new SettingsFile(true, "", Map.of());
    }

    /**
     * The entry of {@code estimator} split between its schema and the backend's, leaving out every
     * key of {@code explicit} (options the user gave, which win over the file). A key neither
     * declares fails, naming the file.
     */
    public Settings route(
            String estimator,
            ConfigSchema estimatorSchema,
            ConfigSchema backendSchema,
            java.util.Set<String> explicit,
            String fileName) {
        var est = new LinkedHashMap<String, String>();
        var back = new LinkedHashMap<String, String>();
        for (var e : of(estimator).orElse(Map.of()).entrySet()) {
            if (explicit.contains(e.getKey())) {
                continue;
            }
            boolean inEstimator = estimatorSchema.key(e.getKey()).isPresent();
            boolean inBackend = backendSchema.key(e.getKey()).isPresent();
            if (!inEstimator && !inBackend) {
                throw new DataException(
                        fileName
                                + ": estimators."
                                + estimator
                                + "."
                                + e.getKey()
                                + ": neither "
                                + estimator
                                + " nor the backend declares this key");
            }
            if (inEstimator) {
                est.put(e.getKey(), e.getValue());
            }
            if (inBackend) {
                back.put(e.getKey(), e.getValue());
            }
        }
        return new Settings(est, back);
    }

    /** Reads a settings file; a defect is one line naming the file and the field. */
    public static SettingsFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read the settings file: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /**
     * Where the parser stopped ("line 1 column 6"), without the parser's advice to its own
     * programmers (Gson suggests a lenient mode, which a settings file must not need).
     */
    private static String where(JsonParseException e) {
        var m = PARSER_POSITION.matcher(String.valueOf(e.getMessage()));
        return m.find() ? "malformed at " + m.group() : "malformed";
    }

    private static final Pattern PARSER_POSITION = Pattern.compile("line \\d+ column \\d+");

    /** Parses a settings file's text; {@code name} names it in messages. */
    public static SettingsFile parse(String text, String name) {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new DataException(name + ": not a JSON object");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new DataException(name + ": not JSON (" + where(e) + ")");
        }
        if (!root.has("format")
                || !root.get("format").isJsonPrimitive()
                || !FORMAT.equals(root.get("format").getAsString())) {
            throw new DataException(name + ": format: expected \"" + FORMAT + "\"");
        }
        if (!root.has("estimators") || !root.get("estimators").isJsonObject()) {
            throw new DataException(name + ": estimators: expected an object");
        }
        var estimators = new LinkedHashMap<String, Map<String, String>>();
        for (var e : root.getAsJsonObject("estimators").entrySet()) {
            if (!e.getValue().isJsonObject()) {
                throw new DataException(
                        name + ": estimators." + e.getKey() + ": expected an object");
            }
            var settings = new LinkedHashMap<String, String>();
            for (var s : e.getValue().getAsJsonObject().entrySet()) {
                if (!s.getValue().isJsonPrimitive()) {
                    throw new DataException(
                            name
                                    + ": estimators."
                                    + e.getKey()
                                    + "."
                                    + s.getKey()
                                    + ": expected a string or number");
                }
                settings.put(s.getKey(), s.getValue().getAsString());
            }
            estimators.put(e.getKey(), settings);
        }
        boolean tuned =
                root.has("tuned")
                        && root.get("tuned").isJsonPrimitive()
                        && root.get("tuned").getAsBoolean();
        String note =
                root.has("note") && root.get("note").isJsonPrimitive()
                        ? root.get("note").getAsString()
                        : "";
        return new SettingsFile(tuned, note, estimators);
    }

    /** The file's JSON text, keys in order. */
    public String text() {
        var root = new LinkedHashMap<String, Object>();
        root.put("format", FORMAT);
        root.put("tuned", tuned);
        root.put("note", note);
        root.put("estimators", estimators);
        return Json.write(root) + "\n";
    }

    /** Writes the file atomically: it appears complete or not at all. */
    public void write(Path file) {
        AtomicFolders.writeString(file, text());
    }
}
