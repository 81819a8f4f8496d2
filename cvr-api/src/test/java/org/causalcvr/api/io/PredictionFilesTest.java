package org.causalcvr.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.data.MultiValuedArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prediction file format, pinned byte for byte: {@code cvr predict} and every backend's {@code
 * score} write these bytes, and files written before the format moved to cvr-api read the same.
 */
class PredictionFilesTest {
    @TempDir Path dir;

    /** Five rows in batches of two; row i has id i, pCTR (i+1)/8 and pCVR 1/2 (exact floats). */
    private static final InMemoryExposureSource FIVE_ROWS =
            new InMemoryExposureSource(
                    new ArrayExposureBatch(
                            new FeatureSchema(
                                    List.of(new FeatureField("item", FieldRole.ITEM, 5, false)),
                                    false,
                                    false),
                            new int[] {1, 0, 1, 0, 0},
                            new int[] {1, 0, 0, 0, 0},
                            new int[][] {{0, 1, 2, 3, 4}},
                            new MultiValuedArrays[1],
                            null,
                            null,
                            null),
                    2,
                    "five rows");

    private static final Function<ExposureBatch, Predictions> MODEL =
            batch -> {
                float[] ctr = new float[batch.size()];
                float[] cvr = new float[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    ctr[i] = (batch.feature(0).getInt(i) + 1) / 8f;
                    cvr[i] = 0.5f;
                }
                return new Predictions(ctr, cvr);
            };

    @Test
    void csvIsAHeaderThenRowCtrCvrCtcvrPerRow() throws IOException {
        Path out = dir.resolve("p.CSV");
        assertThat(PredictionFiles.write(FIVE_ROWS, out, MODEL)).isEqualTo(5);
        assertThat(Files.readString(out, StandardCharsets.UTF_8))
                .isEqualTo(
                        "row,ctr,cvr,ctcvr\n"
                                + "0,0.125,0.5,0.0625\n"
                                + "1,0.25,0.5,0.125\n"
                                + "2,0.375,0.5,0.1875\n"
                                + "3,0.5,0.5,0.25\n"
                                + "4,0.625,0.5,0.3125\n");
    }

    @Test
    void binaryIsMagicRowCountThenThreeBigEndianFloatsPerRow() throws IOException {
        Path out = dir.resolve("p.bin");
        assertThat(PredictionFiles.write(FIVE_ROWS, out, MODEL)).isEqualTo(5);
        ByteBuffer expected = ByteBuffer.allocate(8 + 8 + 5 * 12); // big-endian by default
        expected.put("CVRPRED1".getBytes(StandardCharsets.US_ASCII)).putLong(5);
        for (int i = 0; i < 5; i++) {
            float ctr = (i + 1) / 8f;
            expected.putFloat(ctr).putFloat(0.5f).putFloat(ctr * 0.5f);
        }
        assertThat(Files.readAllBytes(out)).isEqualTo(expected.array());
        float[][] read = PredictionFiles.readBinary(out);
        assertThat(read[0]).containsExactly(0.125f, 0.25f, 0.375f, 0.5f, 0.625f);
        assertThat(read[2]).containsExactly(0.0625f, 0.125f, 0.1875f, 0.25f, 0.3125f);
    }

    @Test
    void aFailureHalfWayLeavesNeitherTheTargetNorATemporaryFile() throws IOException {
        Path out = dir.resolve("p.bin");
        int[] batches = {0};
        Function<ExposureBatch, Predictions> failsOnTheSecondBatch =
                batch -> {
                    if (++batches[0] == 2) {
                        throw new IllegalStateException("model broke");
                    }
                    return MODEL.apply(batch);
                };
        assertThatThrownBy(() -> PredictionFiles.write(FIVE_ROWS, out, failsOnTheSecondBatch))
                .hasMessage("model broke");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFileOfAnotherKindIsRefusedNamingIt() throws IOException {
        Path other = Files.writeString(dir.resolve("notes.bin"), "not predictions at all");
        assertThatThrownBy(() -> PredictionFiles.readBinary(other))
                .hasMessage(other + ": not a predictions file");
    }

    /** A user's file at the output path is never replaced; a predictions file of ours is. */
    @Test
    void replacesOnlyAPredictionsFileItWrote() throws IOException {
        Path csv = Files.writeString(dir.resolve("mine.csv"), "a,b\n1,2\n");
        assertThatThrownBy(() -> PredictionFiles.write(FIVE_ROWS, csv, MODEL))
                .hasMessageStartingWith(csv + " exists and it is not in a format causal-cvr writes")
                .hasMessageContaining("not a causal-cvr predictions file to replace");
        assertThat(Files.readString(csv)).isEqualTo("a,b\n1,2\n");
        Path bin = dir.resolve("p.bin");
        PredictionFiles.write(FIVE_ROWS, bin, MODEL);
        PredictionFiles.write(FIVE_ROWS, csv.resolveSibling("ours.csv"), MODEL);
        // Ours, in either format, is replaced by the next write.
        assertThat(PredictionFiles.write(FIVE_ROWS, bin, MODEL)).isEqualTo(5);
        assertThat(PredictionFiles.write(FIVE_ROWS, csv.resolveSibling("ours.csv"), MODEL))
                .isEqualTo(5);
        Path folder = Files.createDirectories(dir.resolve("a-folder.csv"));
        assertThatThrownBy(() -> PredictionFiles.write(FIVE_ROWS, folder, MODEL))
                .hasMessageStartingWith(folder + " is a folder");
    }
}
