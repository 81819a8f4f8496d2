package org.causalcvr.backend.djl.checkpoint;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.estimator.Activation;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.io.FolderKind;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.causalcvr.backend.djl.embedding.EmbeddingTable;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.Network;

/**
 * The on-disk form of models and checkpoints: a directory holding {@code model.json} (provenance,
 * schema, architecture and, for checkpoints, the training cursor; written with Gson) and {@code
 * params.bin} (tower parameters, then each embedding table's touched rows; big-endian floats; with
 * Adam moments for checkpoints), whose CRC-32 the JSON records. Directories are written beside the
 * target and renamed into place.
 */
public final class ModelFiles {
    public static final String FORMAT = "causal-cvr-djl";
    public static final int VERSION = 1;
    public static final String JSON = "model.json";
    public static final String PARAMS = "params.bin";
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** A saved model folder: {@code model.json} of our format and kind, and {@code params.bin}. */
    public static final FolderKind MODEL = kind("model", "causal-cvr model folder");

    /** A checkpoint folder, as {@link #MODEL} but of kind {@code checkpoint}. */
    public static final FolderKind CHECKPOINT = kind("checkpoint", "causal-cvr checkpoint folder");

    private ModelFiles() {}

    private static FolderKind kind(String kind, String description) {
        return FolderKind.marked(
                description,
                JSON,
                text -> {
                    try {
                        JsonObject o = GSON.fromJson(text, JsonObject.class);
                        return o != null
                                && o.has("format")
                                && FORMAT.equals(o.get("format").getAsString())
                                && o.has("kind")
                                && kind.equals(o.get("kind").getAsString());
                    } catch (RuntimeException e) {
                        return false;
                    }
                },
                name -> name.equals(JSON) || name.equals(PARAMS));
    }

    /** What a directory holds. */
    public record Contents(
            Network network,
            Provenance provenance,
            Cursor cursor,
            long hashSize,
            DjlOptions.IdPolicy idPolicy) {}

    public static void write(
            Path target,
            Network net,
            Provenance provenance,
            long hashSize,
            DjlOptions.IdPolicy policy,
            Cursor cursor) {
        boolean checkpoint = cursor != null;
        FolderKind folderKind = checkpoint ? CHECKPOINT : MODEL;
        AtomicFolders.requireReplaceable(target, folderKind);
        Path tmp = AtomicFolders.stagingFolder(target);
        try {
            var crc = new CRC32();
            try (OutputStream raw = Files.newOutputStream(tmp.resolve(PARAMS));
                    var out =
                            new DataOutputStream(
                                    new BufferedOutputStream(
                                            new CheckedOutputStream(raw, crc), 1 << 20))) {
                for (DenseTower t : net.towers.values()) {
                    t.write(out, checkpoint);
                }
                for (EmbeddingTable table : net.tables.values()) {
                    table.write(out, checkpoint);
                }
            }
            JsonObject json = new JsonObject();
            json.addProperty("format", FORMAT);
            json.addProperty("formatVersion", VERSION);
            json.addProperty("kind", checkpoint ? "checkpoint" : "model");
            json.add("provenance", provenanceJson(provenance));
            json.add("schema", schemaJson(net.schema));
            json.addProperty("embeddingDim", net.embeddingDim);
            json.addProperty("hashSize", hashSize);
            json.addProperty("idPolicy", policy.name());
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
                o.addProperty("activation", t.activation().name());
                o.addProperty("l2", t.l2());
                towers.add(o);
            }
            json.add("towers", towers);
            json.addProperty("paramsCrc32", Long.toHexString(crc.getValue()));
            if (checkpoint) {
                json.add("cursor", GSON.toJsonTree(cursor));
            }
            Files.writeString(tmp.resolve(JSON), GSON.toJson(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            AtomicFolders.discard(tmp);
            throw new CvrException("Cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            AtomicFolders.discard(tmp);
            throw e;
        }
        AtomicFolders.publish(tmp, target, folderKind);
    }

    /** Reads a model or checkpoint directory: the path given, never a sibling of it. */
    public static Contents read(Path target, NDManager parent, boolean wantCheckpoint) {
        Path dir = target;
        String what = wantCheckpoint ? "checkpoint" : "saved model";
        if (!Files.isDirectory(dir)) {
            throw new CvrException(target + " is not a " + what + ": no such folder");
        }
        if (!Files.isRegularFile(dir.resolve(JSON))) {
            throw new CvrException(target + " is not a " + what + ": no " + JSON);
        }
        JsonObject json;
        try {
            json =
                    GSON.fromJson(
                            Files.readString(dir.resolve(JSON), StandardCharsets.UTF_8),
                            JsonObject.class);
        } catch (IOException | JsonParseException e) {
            throw new CvrException(dir.resolve(JSON) + ": unreadable: " + e.getMessage(), e);
        }
        if (json == null
                || !json.has("format")
                || !FORMAT.equals(json.get("format").getAsString())) {
            throw new CvrException(dir.resolve(JSON) + ": not a causal-cvr DJL " + what);
        }
        if (json.get("formatVersion").getAsInt() != VERSION) {
            throw new CvrException(
                    dir.resolve(JSON)
                            + ": format version "
                            + json.get("formatVersion")
                            + ", this library reads "
                            + VERSION);
        }
        String kind = json.get("kind").getAsString();
        if (wantCheckpoint != "checkpoint".equals(kind)) {
            throw new CvrException(dir + " holds a " + kind + ", not a " + what);
        }
        Provenance provenance = provenanceFrom(json.getAsJsonObject("provenance"));
        FeatureSchema schema = schemaFrom(json.getAsJsonObject("schema"));
        if (!schema.describe().equals(provenance.schema())) {
            throw new CvrException(
                    dir.resolve(JSON)
                            + ": its schema '"
                            + schema.describe()
                            + "' differs from the one it claims, '"
                            + provenance.schema()
                            + "'");
        }
        long hashSize = json.get("hashSize").getAsLong();
        var policy = DjlOptions.IdPolicy.valueOf(json.get("idPolicy").getAsString());
        var arch = new ArrayList<Network.TowerArch>();
        for (JsonElement e : json.getAsJsonArray("towers")) {
            JsonObject o = e.getAsJsonObject();
            var hidden = new ArrayList<Integer>();
            o.getAsJsonArray("hidden").forEach(h -> hidden.add(h.getAsInt()));
            arch.add(
                    new Network.TowerArch(
                            o.get("name").getAsString(),
                            o.get("group").getAsString(),
                            hidden,
                            Activation.valueOf(o.get("activation").getAsString()),
                            o.get("l2").getAsDouble()));
        }
        var layout = new FieldLayout(schema, hashSize, policy);
        var net =
                new Network(
                        schema,
                        layout,
                        json.get("embeddingDim").getAsInt(),
                        json.get("networkSeed").getAsLong(),
                        json.get("initStd").getAsDouble(),
                        arch,
                        parent);
        Path params = dir.resolve(PARAMS);
        var crc = new CRC32();
        try (InputStream raw = Files.newInputStream(params);
                var in =
                        new DataInputStream(
                                new BufferedInputStream(
                                        new CheckedInputStream(raw, crc), 1 << 20))) {
            for (DenseTower t : net.towers.values()) {
                t.read(in, params.toString());
            }
            for (var entry : net.tables.entrySet()) {
                EmbeddingTable read = EmbeddingTable.read(in, params.toString());
                if (read.rows() != layout.totalRows() || read.dim() != net.embeddingDim) {
                    throw new IOException(
                            "table '"
                                    + entry.getKey()
                                    + "' is "
                                    + read.rows()
                                    + "x"
                                    + read.dim()
                                    + ", the schema needs "
                                    + layout.totalRows()
                                    + "x"
                                    + net.embeddingDim);
                }
                entry.setValue(read);
            }
            if (in.read() != -1) {
                throw new IOException("trailing bytes");
            }
        } catch (IOException e) {
            net.close();
            throw new CvrException(params + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        String expected = json.get("paramsCrc32").getAsString();
        if (!Long.toHexString(crc.getValue()).equals(expected)) {
            net.close();
            throw new CvrException(
                    params + ": checksum " + Long.toHexString(crc.getValue()) + " != " + expected);
        }
        Cursor cursor =
                wantCheckpoint ? GSON.fromJson(json.getAsJsonObject("cursor"), Cursor.class) : null;
        return new Contents(net, provenance, cursor, hashSize, policy);
    }

    private static JsonObject provenanceJson(Provenance p) {
        var o = new JsonObject();
        o.addProperty("estimator", p.estimator());
        o.add("estimatorConfig", GSON.toJsonTree(new LinkedHashMap<>(p.estimatorConfig())));
        o.addProperty("backend", p.backend());
        o.add("backendConfig", GSON.toJsonTree(new LinkedHashMap<>(p.backendConfig())));
        o.addProperty("seed", p.seed());
        o.addProperty("dataFingerprint", p.dataFingerprint());
        o.addProperty("schema", p.schema());
        o.addProperty("libraryVersion", p.libraryVersion());
        o.addProperty("createdAt", p.createdAt());
        return o;
    }

    private static Provenance provenanceFrom(JsonObject o) {
        return new Provenance(
                o.get("estimator").getAsString(),
                stringMap(o.getAsJsonObject("estimatorConfig")),
                o.get("backend").getAsString(),
                stringMap(o.getAsJsonObject("backendConfig")),
                o.get("seed").getAsLong(),
                o.get("dataFingerprint").getAsString(),
                o.get("schema").getAsString(),
                o.get("libraryVersion").getAsString(),
                o.get("createdAt").getAsString());
    }

    private static Map<String, String> stringMap(JsonObject o) {
        var out = new LinkedHashMap<String, String>();
        o.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().getAsString()));
        return out;
    }

    private static JsonObject schemaJson(FeatureSchema schema) {
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
        o.addProperty("hasGroup", schema.hasGroup());
        o.addProperty("hasGroundTruth", schema.hasGroundTruth());
        return o;
    }

    private static FeatureSchema schemaFrom(JsonObject o) {
        List<FeatureField> fields = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("fields")) {
            JsonObject f = e.getAsJsonObject();
            fields.add(
                    new FeatureField(
                            f.get("name").getAsString(),
                            FieldRole.valueOf(f.get("role").getAsString().toUpperCase(Locale.ROOT)),
                            f.get("cardinality").getAsLong(),
                            f.get("multiValued").getAsBoolean()));
        }
        return new FeatureSchema(
                fields, o.get("hasGroup").getAsBoolean(), o.get("hasGroundTruth").getAsBoolean());
    }
}
