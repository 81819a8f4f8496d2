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
}
