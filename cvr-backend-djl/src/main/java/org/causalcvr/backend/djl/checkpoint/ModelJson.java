package org.causalcvr.backend.djl.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.estimator.Activation;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.model.DenseInput;
import org.causalcvr.backend.djl.model.MatrixFactorisation;
import org.causalcvr.backend.djl.model.Network;

/**
 * {@code model.json}: what a model or checkpoint folder holds besides its parameters.
 *
 * <p>The file carries {@code contentSha256}, the SHA-256 of its own content without that field
 * (Gson's compact form, keys in file order), and {@code paramsSha256}, that of {@code params.bin};
 * so one checksum covers the whole folder, and any edit (an activation, an estimator name) is
 * refused. Every field is then checked for type and range before anything is allocated from it.
 */
final class ModelJson {
    static final String FORMAT = "causal-cvr-djl";
    static final int VERSION = 2;
    static final String CHECKSUM = "contentSha256";
    static final int MAX_TOWERS = 64;
    static final int MAX_LAYERS = 32;
    static final int MAX_WIDTH = 65536;
    static final int MAX_EMBEDDING_DIM = 4096;
    static final int MAX_FIELDS = 100_000;

    private static final Gson PRETTY =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

    /** The validated content of a {@code model.json}. */
    record Header(
            String kind,
            Provenance provenance,
            FeatureSchema schema,
            DenseInput denseInput,
            int embeddingDim,
            long hashSize,
            DjlOptions.IdPolicy idPolicy,
            long networkSeed,
            double initStd,
            List<Network.TowerArch> towers,
            String paramsSha256,
            Cursor cursor) {}

    private ModelJson() {}

    static String encode(
            Network net,
            Provenance provenance,
            long hashSize,
            DjlOptions.IdPolicy policy,
            Cursor cursor,
            String paramsSha256) {
        JsonObject json = new JsonObject();
        json.addProperty("format", FORMAT);
        json.addProperty("formatVersion", VERSION);
        json.addProperty("kind", cursor != null ? "checkpoint" : "model");
        json.add("provenance", ProvenanceJson.provenanceJson(provenance));
        json.add("schema", ProvenanceJson.schemaJson(net.schema));
        if (!net.schema.dense().isEmpty()) {
            json.add(DenseInputJson.KEY, DenseInputJson.json(net.layout.denseInput()));
        }
        json.addProperty("embeddingDim", net.embeddingDim);
        json.addProperty("hashSize", hashSize);
        json.addProperty("idPolicy", policy.name().toLowerCase(Locale.ROOT));
        json.addProperty("networkSeed", net.seed);
        json.addProperty("initStd", net.initStd);
        var towers = new JsonArray();
        for (Network.TowerArch t : net.architecture) {
            var o = new JsonObject();
            o.addProperty("name", t.name());
            o.addProperty("group", t.group());
            var h = new JsonArray();
            t.hidden().forEach(h::add);
            o.add("hidden", h);
            o.addProperty("activation", t.activation().name().toLowerCase(Locale.ROOT));
            o.addProperty("l2", t.l2());
            t.matrixFactorisation()
                    .ifPresent(
                            mf -> {
                                var m = new JsonObject();
                                m.addProperty("userField", mf.userField());
                                m.addProperty("itemField", mf.itemField());
                                o.add("matrixFactorisation", m);
                            });
            towers.add(o);
        }
        json.add("towers", towers);
        json.addProperty("paramsSha256", paramsSha256);
        if (cursor != null) {
            var c = new JsonObject();
            c.addProperty("stage", cursor.stage());
            c.addProperty("epoch", cursor.epoch());
            c.addProperty("batch", cursor.batch());
            c.addProperty("globalStep", cursor.globalStep());
            c.addProperty("rowsRead", cursor.rowsRead());
            c.addProperty("rowsTrained", cursor.rowsTrained());
            // JSON has no NaN: no best score yet is written as null.
            c.add(
                    "bestScore",
                    Double.isNaN(cursor.bestScore())
                            ? com.google.gson.JsonNull.INSTANCE
                            : new com.google.gson.JsonPrimitive(cursor.bestScore()));
            c.addProperty("badEpochs", cursor.badEpochs());
            c.addProperty("earlyStopped", cursor.earlyStopped());
            json.add("cursor", c);
        }
        json.addProperty(CHECKSUM, checksumOf(json));
        return PRETTY.toJson(json);
    }

    /** Whether {@code text} is a {@code model.json} of {@code kind} (for folder recognition). */
    static boolean isOurs(String text, String kind) {
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            return FORMAT.equals(o.get("format").getAsString())
                    && kind.equals(o.get("kind").getAsString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Parses and checks {@code text}, read from {@code file}.
     *
     * @throws CvrException naming the file and the first bad field
     */
    static Header decode(Path file, String text) {
        var f = new JsonFields(file);
        JsonObject json;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new CvrException(file + ": not a JSON object");
            }
            json = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new CvrException(file + ": not valid JSON (" + oneLine(e.getMessage()) + ")", e);
        }
        if (!FORMAT.equals(f.string(json, "", "format"))) {
            throw f.error("format", "is not '" + FORMAT + "'");
        }
        long version = f.integer(json, "", "formatVersion", 0, Integer.MAX_VALUE);
        if (version != VERSION) {
            throw f.error(
                    "formatVersion", "= " + version + ", this library reads " + VERSION + " only");
        }
        String recorded = f.string(json, "", CHECKSUM);
        JsonObject content = json.deepCopy();
        content.remove(CHECKSUM);
        if (!checksumOf(content).equals(recorded)) {
            throw new CvrException(
                    file
                            + ": content does not match its "
                            + CHECKSUM
                            + " (the file was edited or damaged)");
        }
        String kind = f.string(json, "", "kind");
        if (!kind.equals("model") && !kind.equals("checkpoint")) {
            throw f.error("kind", "= '" + kind + "' is not model or checkpoint");
        }
        Provenance provenance = ProvenanceJson.provenance(f, f.object(json, "", "provenance"));
        FeatureSchema schema = ProvenanceJson.schema(f, f.object(json, "", "schema"));
        if (!schema.describe().equals(provenance.schema())) {
            throw f.error("provenance.schema", "differs from the schema it describes");
        }
        DenseInput denseInput = DenseInputJson.read(f, json, schema);
        int dim = (int) f.integer(json, "", "embeddingDim", 1, MAX_EMBEDDING_DIM);
        long hashSize = f.integer(json, "", "hashSize", 0, Integer.MAX_VALUE);
        var policy = f.choice(json, "", "idPolicy", DjlOptions.IdPolicy.class);
        long seed = f.integer(json, "", "networkSeed", Long.MIN_VALUE, Long.MAX_VALUE);
        double initStd = f.real(json, "", "initStd", Double.MIN_VALUE, 1e3);
        List<Network.TowerArch> towers = towers(f, json, schema);
        String params = f.string(json, "", "paramsSha256");
        if (!params.matches("[0-9a-f]{64}")) {
            throw f.error("paramsSha256", "is not a SHA-256 in hex");
        }
        Cursor cursor = kind.equals("checkpoint") ? cursor(f, f.object(json, "", "cursor")) : null;
        return new Header(
                kind,
                provenance,
                schema,
                denseInput,
                dim,
                hashSize,
                policy,
                seed,
                initStd,
                towers,
                params,
                cursor);
    }

    /** A tower's matrix-factorisation fields (fields of {@code schema}); absent for an MLP. */
    private static Optional<MatrixFactorisation> matrixFactorisation(
            JsonFields f, JsonObject tower, String path, FeatureSchema schema) {
        if (!tower.has("matrixFactorisation")) {
            return Optional.empty();
        }
        String p = path + ".matrixFactorisation";
        if (!tower.get("matrixFactorisation").isJsonObject()) {
            throw f.error(p, "is not an object");
        }
        JsonObject m = tower.getAsJsonObject("matrixFactorisation");
        String user = f.name(m, p, "userField");
        String item = f.name(m, p, "itemField");
        for (String field : List.of(user, item)) {
            if (schema.find(field).isEmpty()) {
                throw f.error(p, "names field '" + field + "', which the schema does not have");
            }
        }
        return Optional.of(new MatrixFactorisation(user, item));
    }

    private static List<Network.TowerArch> towers(
            JsonFields f, JsonObject json, FeatureSchema schema) {
        JsonArray array = f.array(json, "", "towers", MAX_TOWERS);
        var out = new ArrayList<Network.TowerArch>();
        var names = new HashSet<String>();
        for (int i = 0; i < array.size(); i++) {
            String path = "towers[" + i + "]";
            if (!array.get(i).isJsonObject()) {
                throw f.error(path, "is not an object");
            }
            JsonObject o = array.get(i).getAsJsonObject();
            String name = f.name(o, path, "name");
            if (!names.add(name)) {
                throw f.error(path + ".name", "= '" + name + "' names two towers");
            }
            JsonArray h = f.array(o, path, "hidden", MAX_LAYERS);
            var hidden = new ArrayList<Integer>();
            for (int k = 0; k < h.size(); k++) {
                hidden.add((int) f.integer(h.get(k), path + ".hidden[" + k + "]", 1, MAX_WIDTH));
            }
            out.add(
                    new Network.TowerArch(
                            name,
                            f.name(o, path, "group"),
                            hidden,
                            f.choice(o, path, "activation", Activation.class),
                            f.real(o, path, "l2", 0, 1e6),
                            matrixFactorisation(f, o, path, schema)));
        }
        if (!names.contains(TowerNames.CVR)) {
            throw f.error("towers", "has no '" + TowerNames.CVR + "' tower");
        }
        return out;
    }

    private static Cursor cursor(JsonFields f, JsonObject c) {
        String p = "cursor";
        JsonElement best = c.get("bestScore");
        double bestScore =
                best == null || best.isJsonNull()
                        ? Double.NaN
                        : f.real(c, p, "bestScore", -Double.MAX_VALUE, Double.MAX_VALUE);
        return new Cursor(
                (int) f.integer(c, p, "stage", 0, 1 << 20),
                (int) f.integer(c, p, "epoch", 0, 1 << 20),
                f.integer(c, p, "batch", 0, Long.MAX_VALUE),
                f.integer(c, p, "globalStep", 0, Long.MAX_VALUE),
                f.integer(c, p, "rowsRead", 0, Long.MAX_VALUE),
                f.integer(c, p, "rowsTrained", 0, Long.MAX_VALUE),
                bestScore,
                (int) f.integer(c, p, "badEpochs", 0, Integer.MAX_VALUE),
                f.bool(c, p, "earlyStopped"));
    }

    /** The checksum of a {@code model.json} object (without its checksum field). */
    static String checksumOf(JsonObject withoutChecksum) {
        return sha256(COMPACT.toJson(withoutChecksum));
    }

    static String sha256(String text) {
        return hex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ");
    }
}
