package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Parquet log goes through the commands exactly as the Arrow IPC log with the same rows. */
class ParquetCommandsTest {
    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    static Result cvr(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Cvr.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Path generate(String name, int rows, int seed) {
        Path file = dir.resolve(name);
        Result r =
                cvr(
                        "generate",
                        "--preset",
                        "small",
                        "--rows",
                        String.valueOf(rows),
                        "--seed",
                        String.valueOf(seed),
                        "--out",
                        file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return file;
    }

    private Path trainAndPredict(Path train, Path test, String name) {
        Path model = dir.resolve("model-" + name);
        Result trained =
                cvr(
                        "train",
                        "--estimator",
                        "multi-dr",
                        "--train",
                        train.toString(),
                        "--model",
                        model.toString(),
                        "--preset",
                        "small",
                        "--epochs",
                        "1",
                        "--quiet");
        assertThat(trained.code()).as(trained.err()).isZero();
        Path predictions = dir.resolve("pred-" + name + ".csv");
        Result predicted =
                cvr(
                        "predict",
                        "--model",
                        model.toString(),
                        "--data",
                        test.toString(),
                        "--out",
                        predictions.toString());
        assertThat(predicted.code()).as(predicted.err()).isZero();
        return predictions;
    }

    @Test
    void aModelTrainedOnParquetPredictsExactlyAsOneTrainedOnTheSameRowsInArrow()
            throws IOException {
        Path trainArrow = generate("train.arrow", 4000, 5);
        Path trainParquet = generate("train.parquet", 4000, 5);
        Path testArrow = generate("test.arrow", 1500, 6);
        Path testParquet = generate("test.parquet", 1500, 6);
        assertThat(Files.readAllBytes(trainParquet)).startsWith('P', 'A', 'R', '1');

        Path fromArrow = trainAndPredict(trainArrow, testArrow, "arrow");
        Path fromParquet = trainAndPredict(trainParquet, testParquet, "parquet");
        var lines = Files.readAllLines(fromArrow);
        assertThat(lines).hasSize(1501);
        assertThat(Files.readAllLines(fromParquet)).isEqualTo(lines);

        // a log of another schema is refused in one line naming the data file
        Path csv = dir.resolve("other.csv");
        Files.writeString(csv, "clk,buy,u\n1,1,0\n0,0,1\n");
        Path other = dir.resolve("other.parquet");
        assertThat(
                        cvr(
                                        "convert",
                                        "csv",
                                        "--in",
                                        csv.toString(),
                                        "--out",
                                        other.toString(),
                                        "--click",
                                        "clk",
                                        "--conversion",
                                        "buy",
                                        "--feature",
                                        "u:user:2")
                                .code())
                .isZero();
        Path model = dir.resolve("model-parquet");

        // a click flipped on disk in an Arrow file: read silently by default, refused with --verify
        Path flipped = dir.resolve("flipped.arrow");
        Files.write(flipped, flipFirstUnconvertedClick(Files.readAllBytes(testArrow), 1500));
        Result silent = cvr("evaluate", "--model", model.toString(), "--data", flipped.toString());
        assertThat(silent.code()).as(silent.err()).isZero();
        Result verified =
                cvr(
                        "evaluate",
                        "--model",
                        model.toString(),
                        "--data",
                        flipped.toString(),
                        "--verify");
        assertThat(verified.code()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(verified.err().lines().toList())
                .hasSize(1)
                .first()
                .asString()
                .startsWith("cvr: " + flipped + ", batch 0 (rows 0-")
                .contains("content checksum mismatch");

        Result evaluated = cvr("evaluate", "--model", model.toString(), "--data", other.toString());
        assertThat(evaluated.code()).as(evaluated.err()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(evaluated.err().lines().findFirst().orElse(""))
                .startsWith("cvr: " + other + ": ")
                .contains("schema");
        Result predicted =
                cvr(
                        "predict",
                        "--model",
                        model.toString(),
                        "--data",
                        other.toString(),
                        "--out",
                        dir.resolve("other-pred.csv").toString());
        assertThat(predicted.code()).as(predicted.err()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(predicted.err().lines().findFirst().orElse(""))
                .startsWith("cvr: " + other + ": ")
                .contains("schema");
    }

    @Test
    void oneCsvColumnForTwoRolesIsRefusedInOneLine() throws IOException {
        Path csv = dir.resolve("log.csv");
        Files.writeString(csv, "c,u\n1,0\n0,1\n");
        Result r =
                cvr(
                        "convert",
                        "csv",
                        "--in",
                        csv.toString(),
                        "--out",
                        dir.resolve("log.arrow").toString(),
                        "--click",
                        "c",
                        "--conversion",
                        "c",
                        "--feature",
                        "u:user:2");
        assertThat(r.code()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(r.err().lines().toList())
                .containsExactly(
                        "cvr: Column 'c' is given as both the click and the conversion column;"
                                + " one column can have one role only");
        assertThat(dir.resolve("log.arrow")).doesNotExist();
    }

    @Test
    void aMistypedConvertCsvPointsToItsOwnHelp() {
        Result r = cvr("convert", "csv", "--in", "x.csv");
        assertThat(r.code()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(r.err()).contains("Try 'cvr convert csv --help'.");
    }

    @Test
    void convertParquetMapsASparkFolderIntoALogEveryCommandReads() throws IOException {
        Path spark = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(
                spark.resolve("cvr-data-arrow/src/test/resources/spark-snappy"))) {
            spark = spark.getParent();
        }
        spark = spark.resolve("cvr-data-arrow/src/test/resources/spark-snappy");
        Path out = dir.resolve("mapped.parquet");
        Result r =
                cvr(
                        "convert",
                        "parquet",
                        "--in",
                        spark.toString(),
                        "--out",
                        out.toString(),
                        "--click",
                        "click",
                        "--conversion",
                        "conversion",
                        "--feature",
                        "item:item:7",
                        "--feature",
                        "user:user:10",
                        "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"rowsWritten\": 3000");
        long rows = 0;
        long clicks = 0;
        long itemSum = 0;
        try (var memory = org.causalcvr.data.arrow.Allocators.create();
                var cursor = org.causalcvr.data.arrow.ExposureSources.open(out, memory).open()) {
            while (cursor.next()) {
                var b = cursor.batch();
                int[] ids = new int[b.size()];
                b.feature(0).copyTo(0, ids, 0, b.size());
                for (int i = 0; i < b.size(); i++) {
                    clicks += b.clicks().getInt(i);
                    itemSum += ids[i];
                    assertThat(ids[i]).isEqualTo((int) ((rows + i) % 7));
                }
                rows += b.size();
            }
        }
        assertThat(rows).isEqualTo(3000);
        assertThat(clicks).isEqualTo(1500);
        assertThat(itemSum).isPositive();

        Result missing =
                cvr(
                        "convert",
                        "parquet",
                        "--in",
                        spark.toString(),
                        "--out",
                        dir.resolve("never.parquet").toString(),
                        "--click",
                        "clk",
                        "--conversion",
                        "conversion",
                        "--feature",
                        "user:user:10");
        assertThat(missing.code()).isEqualTo(Cvr.BAD_INPUT);
        assertThat(missing.err().lines().findFirst().orElse(""))
                .contains("part-00000")
                .contains("column 'clk': missing");
        assertThat(dir.resolve("never.parquet")).doesNotExist();
    }

    /**
     * Flips the first click label 0 whose conversion is 0 to 1 in an Arrow IPC file of one record
     * batch of {@code rows} rows: the file's magic (8 bytes), the schema message, then the batch's
     * message (continuation marker, metadata length, metadata) and its body, which starts with the
     * click column's validity bitmap and values, then the conversion column's.
     */
    private static byte[] flipFirstUnconvertedClick(byte[] file, int rows) {
        java.nio.ByteBuffer b =
                java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int schemaMessage = 8;
        int batchMessage = schemaMessage + 8 + b.getInt(schemaMessage + 4);
        int body = batchMessage + 8 + b.getInt(batchMessage + 4);
        int padded = (((rows + 7) / 8) + 7) / 8 * 8;
        int bytes = (rows + 7) / 8 * 8;
        int clicks = body + padded;
        int conversions = clicks + bytes + padded;
        for (int r = 0; r < rows; r++) {
            assertThat(file[clicks + r]).isBetween((byte) 0, (byte) 1);
            assertThat(file[conversions + r]).isBetween((byte) 0, (byte) 1);
        }
        byte[] out = file.clone();
        for (int r = 0; r < rows; r++) {
            if (file[clicks + r] == 0 && file[conversions + r] == 0) {
                out[clicks + r] = 1;
                return out;
            }
        }
        throw new AssertionError("no unconverted click to flip");
    }
}
