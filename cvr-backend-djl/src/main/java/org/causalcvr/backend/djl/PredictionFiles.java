package org.causalcvr.backend.djl;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.io.AtomicFolders;

/**
 * Writes a model's predictions for every row of a source, atomically (temp file, then rename).
 *
 * <p>CSV (a name ending in {@code .csv}): a header {@code row,ctr,cvr,ctcvr}, then one line per
 * row. Binary (any other name): the 8 ASCII bytes {@code CVRPRED1}, the row count as a big-endian
 * long, then per row three big-endian float32 values: pCTR, pCVR, pCTCVR.
 */
final class PredictionFiles {
    private static final byte[] MAGIC = "CVRPRED1".getBytes(StandardCharsets.US_ASCII);

    private PredictionFiles() {}

    /** Scores {@code source} with {@code model} into {@code output}; returns the rows written. */
    public static long score(TrainedModel model, ExposureSource source, Path output) {
        boolean csv = output.getFileName().toString().toLowerCase().endsWith(".csv");
        Path tmp = null;
        try {
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
                    Predictions p = model.predict(cursor.batch());
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

    /** Reads a binary predictions file: {ctr[], cvr[], ctcvr[]}. */
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
