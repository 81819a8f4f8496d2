package org.causalcvr.backend.djl.checkpoint;

import ai.djl.ndarray.NDManager;
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
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.estimator.Activation;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.io.FolderKind;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.causalcvr.backend.djl.embedding.EmbeddingTable;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.Network;

/**
 * The on-disk form of models and checkpoints: a folder holding {@code model.json} ({@link
 * ModelJson}: provenance, schema, architecture and, for checkpoints, the training cursor) and
 * {@code params.bin} (tower parameters, then each embedding table's touched rows; big-endian
 * floats; with Adam moments for checkpoints). {@code model.json} records the SHA-256 of {@code
 * params.bin} and of its own content, so the whole folder is checked before anything is built from
 * it. Folders are written beside the target and renamed into place. No Java deserialisation: both
 * files are read field by field.
 */
public final class ModelFiles {
    public static final String JSON = "model.json";
    public static final String PARAMS = "params.bin";

    /** A saved model folder: {@code model.json} of our format and kind, and {@code params.bin}. */
    public static final FolderKind MODEL = kind("model", "causal-cvr model folder");

    /** A checkpoint folder, as {@link #MODEL} but of kind {@code checkpoint}. */
    public static final FolderKind CHECKPOINT = kind("checkpoint", "causal-cvr checkpoint folder");

    private ModelFiles() {}

    private static FolderKind kind(String kind, String description) {
        return FolderKind.marked(
                description,
                JSON,
                text -> ModelJson.isOurs(text, kind),
                name -> name.equals(JSON) || name.equals(PARAMS));
    }

    /** What a folder holds. */
    public record Contents(
            Network network,
            Provenance provenance,
            Cursor cursor,
            long hashSize,
            DjlOptions.IdPolicy idPolicy) {}

    /** Writes {@code net} (a checkpoint, with Adam state, when {@code cursor} is given). */
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
            MessageDigest sha = ModelJson.digest();
            try (OutputStream raw = Files.newOutputStream(tmp.resolve(PARAMS));
                    var out =
                            new DataOutputStream(
                                    new BufferedOutputStream(
                                            new DigestOutputStream(raw, sha), 1 << 20))) {
                for (DenseTower t : net.towers.values()) {
                    t.write(out, checkpoint);
                }
                for (EmbeddingTable table : net.tables.values()) {
                    table.write(out, checkpoint);
                }
            }
            String json =
                    ModelJson.encode(
                            net, provenance, hashSize, policy, cursor, ModelJson.hex(sha.digest()));
            Files.writeString(tmp.resolve(JSON), json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            AtomicFolders.discard(tmp);
            throw new CvrException("Cannot write " + target + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            AtomicFolders.discard(tmp);
            throw e;
        }
        AtomicFolders.publish(tmp, target, folderKind);
    }

    /**
     * Reads a model or checkpoint folder: the path given, never a sibling of it. Both files are
     * checked (checksums, every field's type and range, the parameter file's size against the
     * architecture) before the network is allocated.
     *
     * @throws CvrException one line naming the file and what is wrong
     */
    public static Contents read(Path target, NDManager parent, boolean wantCheckpoint) {
        String what = wantCheckpoint ? "checkpoint" : "saved model";
        if (!Files.isDirectory(target)) {
            throw new CvrException(target + " is not a " + what + ": no such folder");
        }
        Path jsonFile = target.resolve(JSON);
        Path params = target.resolve(PARAMS);
        if (!Files.isRegularFile(jsonFile)) {
            throw new CvrException(target + " is not a " + what + ": no " + JSON);
        }
        String text;
        try {
            if (Files.size(jsonFile) > (64 << 20)) {
                throw new CvrException(jsonFile + ": larger than 64 MiB, not a " + what);
            }
            text = Files.readString(jsonFile, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CvrException(jsonFile + ": unreadable: " + e.getMessage(), e);
        }
        ModelJson.Header h = ModelJson.decode(jsonFile, text);
        if (wantCheckpoint != "checkpoint".equals(h.kind())) {
            throw new CvrException(target + " holds a " + h.kind() + ", not a " + what);
        }
        checkParams(params, h);
        FieldLayout layout;
        try {
            layout = new FieldLayout(h.schema(), h.hashSize(), h.idPolicy(), h.denseInput());
        } catch (CvrException e) {
            throw new CvrException(jsonFile + ": field 'schema': " + e.getMessage(), e);
        }
        var net =
                new Network(
                        h.schema(),
                        layout,
                        h.embeddingDim(),
                        h.networkSeed(),
                        h.initStd(),
                        h.towers(),
                        parent);
        try (InputStream raw = Files.newInputStream(params);
                var in = new DataInputStream(new BufferedInputStream(raw, 1 << 20))) {
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
        return new Contents(net, h.provenance(), h.cursor(), h.hashSize(), h.idPolicy());
    }

    /**
     * Checks that {@code params} has the checksum {@code model.json} records and at least the bytes
     * its towers need, before anything is allocated for them.
     */
    private static void checkParams(Path params, ModelJson.Header h) {
        MessageDigest sha = ModelJson.digest();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(params), sha)) {
            byte[] buf = new byte[1 << 16];
            size = 0;
            for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
                size += r;
            }
        } catch (IOException e) {
            throw new CvrException(params + ": unreadable: " + e.getMessage(), e);
        }
        if (!ModelJson.hex(sha.digest()).equals(h.paramsSha256())) {
            throw new CvrException(
                    params
                            + ": checksum differs from the one model.json records (damaged or edited)");
        }
        long inputWidth = (long) h.schema().size() * h.embeddingDim() + h.denseInput().width();
        long floats = 0;
        for (Network.TowerArch t : h.towers()) {
            if (t.matrixFactorisation().isPresent()) {
                floats += 1; // its only own parameter: the global bias
                continue;
            }
            long in = inputWidth;
            var widths = new java.util.ArrayList<>(t.hidden());
            widths.add(1);
            for (int layer = 0; layer < widths.size(); layer++) {
                long out = widths.get(layer);
                floats += in * out + out;
                if (t.activation() == Activation.PRELU && layer < widths.size() - 1) {
                    floats += out;
                }
                in = out;
            }
        }
        if (4 * floats > size) {
            throw new CvrException(
                    params
                            + ": "
                            + size
                            + " bytes, but the towers of model.json need "
                            + 4 * floats
                            + " or more");
        }
    }
}
