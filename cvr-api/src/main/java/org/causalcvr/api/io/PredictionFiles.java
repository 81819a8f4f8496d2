package org.causalcvr.api.io;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;

/**
 * The prediction file of a model over every row of a source, in one format for every backend and
 * tool (the {@code cvr predict} command, a backend's own {@code score}), written atomically: a
 * hidden temporary file beside the target, then a rename.
 *
 * <p>CSV (a name ending in {@code .csv}, any case): a header {@code row,ctr,cvr,ctcvr}, then one
 * line per row, the row's 0-based index and its pCTR, pCVR and pCTCVR ({@code pCTR·pCVR}) as Java
 * prints a float. Binary (any other name): the 8 ASCII bytes {@code CVRPRED1}, the row count as a
 * big-endian long, then per row three big-endian float32 values: pCTR, pCVR, pCTCVR.
 */
public final class PredictionFiles {
    private static final byte[] MAGIC = "CVRPRED1".getBytes(StandardCharsets.US_ASCII);

    private PredictionFiles() {}

    /**
     * The files {@link #write} produces: the binary format (magic {@code CVRPRED1}) or a CSV with
     * its header. An existing output is replaced only if it is one.
     */
    public static final FileKind FILE_KIND =
            FileKind.marked(
                    "causal-cvr predictions file",
                    List.of(MAGIC, "row,ctr,cvr,ctcvr\n".getBytes(StandardCharsets.US_ASCII)),
                    "",
                    64);

    /** {@link #write} with {@code model}'s own {@link TrainedModel#predict}. */
    public static long score(TrainedModel model, ExposureSource source, Path output) {
        return write(source, output, model::predict);
    }

    /**
     * Writes {@code predict}'s predictions for every row of {@code source} to {@code output}, in
     * row order, and returns the rows written. Nothing appears at {@code output} unless the whole
     * file was written.
     *
     * @param predict the predictions of one batch (valid only until the cursor moves)
     * @throws CvrException naming {@code output} if it cannot be written
     */
    public static long write(
            ExposureSource source, Path output, Function<ExposureBatch, Predictions> predict) {
        boolean csv = output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        Path tmp = null;
        try {
            AtomicFolders.requireReplaceable(output, FILE_KIND);
            // hidden, named after the output, under the umask; a kill -9's leftover is cleaned here
            tmp = AtomicFolders.stagingFile(output);
            long rows = 0;
            try (OutputStream raw = Files.newOutputStream(tmp);
                    var buffered = new BufferedOutputStream(raw, 1 << 20);
                    BatchCursor cursor = source.open()) {
                BufferedWriter text = null;
                DataOutputStream data = null;
                if (csv) {
                    text =
                            new BufferedWriter(
                                    new java.io.OutputStreamWriter(
                                            buffered, StandardCharsets.UTF_8));
                    text.write("row,ctr,cvr,ctcvr\n");
                } else {
                    data = new DataOutputStream(buffered);
                    data.write(MAGIC);
                    data.writeLong(0);
                }
                while (cursor.next()) {
                    Predictions p = predict.apply(cursor.batch());
                    float[] ctcvr = p.ctcvr();
                    for (int i = 0; i < p.size(); i++, rows++) {
                        if (csv) {
                            text.write(
                                    rows
                                            + ","
                                            + p.ctr()[i]
                                            + ","
                                            + p.cvr()[i]
                                            + ","
                                            + ctcvr[i]
                                            + "\n");
                        } else {
                            data.writeFloat(p.ctr()[i]);
                            data.writeFloat(p.cvr()[i]);
                            data.writeFloat(ctcvr[i]);
                        }
                    }
                }
                if (csv) {
                    text.flush();
                } else {
                    data.flush();
                }
            }
            if (!csv) {
                try (var file = new RandomAccessFile(tmp.toFile(), "rw")) {
                    file.seek(MAGIC.length);
                    file.writeLong(rows);
                }
            }
            AtomicFolders.move(tmp, output);
            return rows;
        } catch (IOException e) {
            throw new CvrException("Cannot write predictions to " + output + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The temp file is hidden and named as such; nothing else to do.
                }
            }
        }
    }

    /**
     * Reads a binary predictions file: {ctr[], cvr[], ctcvr[]}.
     *
     * @throws CvrException naming {@code file} if it is not such a file
     */
    public static float[][] readBinary(Path file) {
        try (var in =
                new java.io.DataInputStream(
                        new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new CvrException(file + ": not a predictions file");
            }
            long rows = in.readLong();
            if (rows < 0 || rows > Integer.MAX_VALUE) {
                throw new CvrException(file + ": bad row count " + rows);
            }
            float[][] out = new float[3][(int) rows];
            for (int i = 0; i < rows; i++) {
                out[0][i] = in.readFloat();
                out[1][i] = in.readFloat();
                out[2][i] = in.readFloat();
            }
            return out;
        } catch (IOException e) {
            throw new CvrException(file + ": " + e.getMessage(), e);
        }
    }
}
