package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.causalcvr.data.arrow.synth.SplitCheck;
import org.causalcvr.data.arrow.synth.WorldConfig;
import org.causalcvr.data.arrow.synth.WorldProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every subcommand: its happy path and one bad input (one-line error, non-zero exit code). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CvrCommandLineTest {
    @TempDir static Path dir;
    Path train;
    Path test;
    Path model;

    record Result(int code, String out, String err) {}

    static Result cvr(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code = Cvr.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    static void assertBadInput(Result r, String... fragments) {
        assertThat(r.code()).as(r.err()).isEqualTo(Cvr.BAD_INPUT);
        String firstLine = r.err().lines().findFirst().orElse("");
        assertThat(firstLine).startsWith("cvr: ");
        for (String f : fragments) {
            assertThat(firstLine).contains(f);
        }
    }

    /**
     * What {@code --json} printed, checked to be report.json's numbers: the same summary as the
     * report folder's report.json, plus the folder's path under {@code report}.
     */
    static JsonObject printedReportJson(Result r, Path report) throws IOException {
        assertThat(r.code()).as(r.err()).isZero();
        JsonObject printed = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject written =
                JsonParser.parseString(Files.readString(report.resolve("report.json")))
                        .getAsJsonObject();
        assertThat(printed.get("summary")).isEqualTo(written.get("summary"));
        assertThat(printed.get("report").getAsString()).isEqualTo(report.toString());
        return printed;
    }

    static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts)
                .flatMap(java.util.Arrays::stream)
                .toArray(String[]::new);
    }

    /** The mean exposure-space AUC against the true CVR of {@code arm}: a JSON number in (0, 1]. */
    static double exposureTrueAuc(JsonObject printed, String arm) {
        var mean =
                printed.getAsJsonObject("summary")
                        .getAsJsonObject(arm)
                        .getAsJsonObject("cvr-exposure-true/auc")
                        .get("mean");
        assertThat(mean.getAsJsonPrimitive().isNumber()).as(arm + " mean is a number").isTrue();
        assertThat(mean.getAsDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
        return mean.getAsDouble();
    }

    @BeforeAll
    void smallWorldAndModel() {
        train = dir.resolve("train.arrow");
        test = dir.resolve("test.arrow");
        model = dir.resolve("model");
        assertThat(
                        cvr(
                                        "generate",
                                        "--preset",
                                        "small",
                                        "--rows",
                                        "6000",
                                        "--seed",
                                        "3",
                                        "--out",
                                        train.toString(),
                                        "--test-rows",
                                        "3000",
                                        "--test-out",
                                        test.toString())
                                .code())
                .isZero();
        Result trained =
                cvr(
                        "train",
                        "--estimator",
                        "multi-ipw",
                        "--train",
                        train.toString(),
                        "--model",
                        model.toString(),
                        "--preset",
                        "small",
                        "--epochs",
                        "1",
                        "--quiet",
                        "--set",
                        "ipw-bound-pct=50");
        assertThat(trained.code()).as(trained.err()).isZero();
    }

    @Test
    void helpListsEverySubcommand() {
        Result r = cvr("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains(
                        "demo",
                        "study",
                        "generate",
                        "convert",
                        "train",
                        "evaluate",
                        "predict",
                        "compare",
                        "sweep",
                        "estimators",
                        "bench");
    }

    /**
     * picocli formats every description line with {@code String.format}: a lone {@code %} (say "5%
     * validation") makes it warn on standard error and print the line raw. The help of every
     * command and subcommand must render without such a warning.
     */
    @Test
    void everyHelpRendersWithoutPicocliWarnings() {
        var warnings = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        var commands = new ArrayDeque<CommandLine>();
        commands.add(new CommandLine(new Cvr(Map.of())));
        int rendered = 0;
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            while (!commands.isEmpty()) {
                CommandLine command = commands.poll();
                assertThat(command.getUsageMessage()).isNotBlank();
                rendered++;
                commands.addAll(command.getSubcommands().values());
            }
        } finally {
            System.setErr(systemErr);
        }
        assertThat(rendered).as("commands rendered").isGreaterThan(10);
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
        assertThat(cvr("compare", "--help").out()).contains("5% validation slice");
    }

    @Test
    void anUnknownOptionIsABadInput() {
        assertBadInput(cvr("estimators", "--nmae", "base"), "--nmae");
    }

    /** A settings file, not tuned, whose note is "by hand", with these estimators' entries. */
    private Path handWrittenSettings(String name, String estimatorsJson) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(
                file,
                "{\"format\": \"causal-cvr-settings\", \"tuned\": false, \"note\": \"by hand\","
                        + " \"estimators\": "
                        + estimatorsJson
                        + "}");
        return file;
    }

    @Nested
    class Estimators {
        @Test
        void listsThePapersTenAndTheExamplePlugin() {
            Result r = cvr("estimators", "--json");
            assertThat(r.code()).isZero();
            var names =
                    JsonParser.parseString(r.out()).getAsJsonArray().asList().stream()
                            .map(e -> e.getAsJsonObject().get("name").getAsString())
                            .toList();
            assertThat(names)
                    .contains(
                            "base",
                            "oversampling",
                            "esmm",
                            "esmm-ns",
                            "naive-imputation",
                            "naive-ipw",
                            "joint-learning-dr",
                            "heuristic-dr",
                            "multi-ipw",
                            "multi-dr",
                            "escm2-ipw");
        }

        @Test
        void anUnknownNameSuggestsTheNearest() {
            assertBadInput(
                    cvr("estimators", "--name", "mutli-dr"),
                    "Unknown estimator 'mutli-dr'",
                    "did you mean 'multi-dr'");
        }
    }

    @Nested
    class Backends {
        /**
         * The djl backend lists its keys with their defaults, the step-size schedule's among them.
         */
        @Test
        void listsTheDjlBackendWithItsKeysAndTheirDefaults() {
            Result r = cvr("backends", "--json");
            assertThat(r.code()).isZero();
            var backends = JsonParser.parseString(r.out()).getAsJsonArray().asList();
            assertThat(backends).hasSize(1);
            var djl = backends.get(0).getAsJsonObject();
            assertThat(djl.get("name").getAsString()).isEqualTo("djl");
            Map<String, String> defaults = new TreeMap<>();
            for (var key : djl.getAsJsonArray("config")) {
                defaults.put(
                        key.getAsJsonObject().get("key").getAsString(),
                        key.getAsJsonObject().get("default").getAsString());
            }
            assertThat(defaults)
                    .containsEntry("learning-rate-decay", "1.0")
                    .containsEntry("learning-rate-end", "1.0")
                    .containsEntry("learning-rate-warmup", "0.0")
                    .containsEntry("shuffle-rows", "100000")
                    .containsKeys("preset", "learning-rate", "batch-size", "embedding-l2");
            Result text = cvr("backends");
            assertThat(text.code()).isZero();
            assertThat(text.out())
                    .contains("learning-rate-warmup")
                    .contains("share of each stage's batches");
        }

        @Test
        void anUnknownNameSuggestsTheNearest() {
            assertBadInput(
                    cvr("backends", "--name", "dlj"),
                    "Unknown backend 'dlj'",
                    "did you mean 'djl'");
        }
    }

    @Nested
    class Generate {
        /**
         * A file the user keeps at a target is not an exposure log of ours: the call is refused
         * with one line before any file is written, and the user's file is as it was.
         */
        @Test
        void aUsersFileAtATargetIsNeverReplaced() throws IOException {
            Path notes = Files.writeString(dir.resolve("notes.arrow"), "my notes\n");
            Path fresh = dir.resolve("fresh-train.arrow");
            assertBadInput(
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--rows",
                            "500",
                            "--out",
                            fresh.toString(),
                            "--test-rows",
                            "100",
                            "--test-out",
                            notes.toString()),
                    notes.toString(),
                    "not a causal-cvr exposure log to replace");
            assertThat(Files.readString(notes)).isEqualTo("my notes\n");
            assertThat(fresh).doesNotExist();
        }

        @Test
        void writesTheRequestedRowsWithTruth() {
            Path out = dir.resolve("gen.arrow");
            Result r =
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--rows",
                            "2000",
                            "--out",
                            out.toString(),
                            "--json");
            assertThat(r.code()).as(r.err()).isZero();
            var json = JsonParser.parseString(r.out()).getAsJsonObject();
            assertThat(json.get("rows").getAsLong()).isEqualTo(2000);
            assertThat(out).isRegularFile();
        }

        @Test
        void trainTestAndValidationOfOneWorldInOneCallShareTheWorldAndNoRow() throws IOException {
            Path tr = dir.resolve("split-train.arrow");
            Path te = dir.resolve("split-test.arrow");
            Path va = dir.resolve("split-valid.arrow");
            Result r =
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--seed",
                            "8",
                            "--rows",
                            "2000",
                            "--out",
                            tr.toString(),
                            "--test-rows",
                            "1000",
                            "--test-out",
                            te.toString(),
                            "--valid-rows",
                            "500",
                            "--valid-out",
                            va.toString(),
                            "--json");
            assertThat(r.code()).as(r.err()).isZero();
            var json = JsonParser.parseString(r.out()).getAsJsonObject();
            assertThat(json.getAsJsonObject("test").get("firstRow").getAsLong()).isEqualTo(2000);
            assertThat(json.getAsJsonObject("valid").get("rows").getAsLong()).isEqualTo(500);
            WorldProvenance a = WorldProvenance.read(tr).orElseThrow();
            WorldProvenance b = WorldProvenance.read(te).orElseThrow();
            WorldProvenance c = WorldProvenance.read(va).orElseThrow();
            assertThat(a.sameWorld(b)).isTrue();
            assertThat(a.sameWorld(c)).isTrue();
            assertThat(a.sharedRows(b) + a.sharedRows(c) + b.sharedRows(c)).isZero();
            assertThat(
                            SplitCheck.compare(
                                    Optional.of(a), Optional.of(b), tr.toString(), te.toString()))
                    .isEmpty();
            // the test file is world rows [2000, 3000), exactly what --first-row draws later
            Path later = dir.resolve("split-later.arrow");
            assertThat(
                            cvr(
                                            "generate",
                                            "--preset",
                                            "small",
                                            "--seed",
                                            "8",
                                            "--first-row",
                                            "2000",
                                            "--rows",
                                            "1000",
                                            "--out",
                                            later.toString())
                                    .code())
                    .isZero();
            assertThat(Files.readAllBytes(later)).isEqualTo(Files.readAllBytes(te));
        }

        @Test
        void aTestFileOfAnotherSeedIsFlaggedAsAnotherWorld() {
            Path other = dir.resolve("other-world.arrow");
            assertThat(
                            cvr(
                                            "generate",
                                            "--preset",
                                            "small",
                                            "--seed",
                                            "4",
                                            "--rows",
                                            "1000",
                                            "--out",
                                            other.toString())
                                    .code())
                    .isZero();
            Result honest = cvr("evaluate", "--model", model.toString(), "--data", test.toString());
            assertThat(honest.code()).as(honest.err()).isZero();
            assertThat(honest.err()).doesNotContain("Warning");
            Result wrong = cvr("evaluate", "--model", model.toString(), "--data", other.toString());
            assertThat(wrong.code()).as(wrong.err()).isZero();
            assertThat(wrong.err())
                    .containsOnlyOnce("Warning: ")
                    .contains(
                            "another synthetic world than the model's training data (world seed 4,"
                                    + " training 3)");
            Result onTrain =
                    cvr("evaluate", "--model", model.toString(), "--data", train.toString());
            assertThat(onTrain.err()).contains("shares 6,000 rows", "not held out");
        }

        @Test
        void theUserAndItemCountsAreTheWorldsAndRecordedInTheFile() {
            Path wide = dir.resolve("wide.arrow");
            Result r =
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--seed",
                            "3",
                            "--users",
                            "40",
                            "--items",
                            "9",
                            "--rows",
                            "1000",
                            "--out",
                            wide.toString());
            assertThat(r.code()).as(r.err()).isZero();
            WorldConfig config = WorldProvenance.read(wide).orElseThrow().config().orElseThrow();
            assertThat(config.users()).isEqualTo(40);
            assertThat(config.items()).isEqualTo(9);
            // the training file of this class: the same preset and seed with the preset's ids
            WorldProvenance preset = WorldProvenance.read(train).orElseThrow();
            assertThat(WorldProvenance.read(wide).orElseThrow().sameWorld(preset)).isFalse();
            assertBadInput(
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--items",
                            "0",
                            "--rows",
                            "10",
                            "--out",
                            dir.resolve("no-items.arrow").toString()),
                    "Option --items = 0 is out of range");
        }

        @Test
        void aTestFileNeedsItsRowCount() {
            assertBadInput(
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--rows",
                            "10",
                            "--out",
                            dir.resolve("y.arrow").toString(),
                            "--test-out",
                            dir.resolve("y-test.arrow").toString()),
                    "--test-rows and --test-out go together");
        }

        @Test
        void zeroRowsIsRefusedAndNoFileIsLeft() {
            Path out = dir.resolve("none.arrow");
            assertBadInput(cvr("generate", "--rows", "0", "--out", out.toString()), "--rows");
            assertThat(out).doesNotExist();
        }

        @Test
        void anUnknownPresetListsTheKnownOnes() {
            assertBadInput(
                    cvr(
                            "generate",
                            "--preset",
                            "huge",
                            "--rows",
                            "10",
                            "--out",
                            dir.resolve("x.arrow").toString()),
                    "Unknown synthetic preset 'huge'",
                    "small");
        }
    }

    @Nested
    class Convert {
        @Test
        void theAliCcpSampleWithItsDenseColumnsTrainsAndEvaluatesEndToEnd() {
            Path sample = ConvertCommand.defaultCoat().getParent().resolve("ali-ccp-sample");
            Path a = dir.resolve("ali-train.arrow");
            Path b = dir.resolve("ali-test.arrow");
            Result converted =
                    cvr(
                            "convert",
                            "ali-ccp-processed",
                            "--in",
                            sample.resolve("ali_ccp_train_sample.csv").toString(),
                            "--in",
                            sample.resolve("ali_ccp_test_sample.csv").toString(),
                            "--out",
                            a.toString(),
                            "--out",
                            b.toString());
            assertThat(converted.code()).as(converted.err()).isZero();
            assertThat(converted.out()).doesNotContain("ignored columns");
            Path aliModel = dir.resolve("ali-model");
            Result trained =
                    cvr(
                            "train",
                            "--estimator",
                            "multi-dr",
                            "--train",
                            a.toString(),
                            "--model",
                            aliModel.toString(),
                            "--preset",
                            "small",
                            "--epochs",
                            "1",
                            "--quiet");
            assertThat(trained.code()).as(trained.err()).isZero();
            Result r =
                    cvr(
                            "evaluate",
                            "--model",
                            aliModel.toString(),
                            "--data",
                            b.toString(),
                            "--json");
            assertThat(r.code()).as(r.err()).isZero();
            var json = JsonParser.parseString(r.out()).getAsJsonObject();
            assertThat(json.get("rows").getAsLong()).isEqualTo(50);
            var spaces =
                    json.getAsJsonArray("metrics").asList().stream()
                            .map(m -> m.getAsJsonObject().get("space").getAsString())
                            .distinct()
                            .toList();
            assertThat(spaces).contains("cvr-clicked", "ctcvr", "ctr");
        }

        @Test
        void convertsYahooR3AndKuaiRandInTheirPublishedFormats() throws IOException {
            Path yahoo = dir.resolve("yahoo-in");
            Files.createDirectories(yahoo);
            Files.writeString(
                    yahoo.resolve("ydata-ymusic-rating-study-v1-u-train.txt"),
                    "1\t1\t5\n1\t2\t2\n2\t3\t4\n");
            Files.writeString(
                    yahoo.resolve("ydata-ymusic-rating-study-v1-u-test.txt"),
                    "1\t3\t4\n2\t1\t1\n3\t2\t5\n");
            Result r =
                    cvr(
                            "convert",
                            "yahoo-r3",
                            "--in",
                            yahoo.toString(),
                            "--out",
                            dir.resolve("yahoo-out").toString(),
                            "--json");
            assertThat(r.code()).as(r.err()).isZero();
            var reports = JsonParser.parseString(r.out()).getAsJsonArray();
            // 3 users x 3 songs of training exposures, then the 3 random ratings
            assertThat(reports.get(0).getAsJsonObject().get("rowsWritten").getAsLong())
                    .isEqualTo(9);
            assertThat(reports.get(1).getAsJsonObject().get("rowsWritten").getAsLong())
                    .isEqualTo(3);
            Path log = dir.resolve("kuairand.csv");
            Files.writeString(log, "user_id,video_id,is_click,is_like\n0,1,1,1\n1,0,0,0\n");
            Result k =
                    cvr(
                            "convert",
                            "kuairand",
                            "--standard",
                            log.toString(),
                            "--random",
                            log.toString(),
                            "--out",
                            dir.resolve("kuairand-out").toString(),
                            "--json");
            assertThat(k.code()).as(k.err()).isZero();
            assertBadInput(
                    cvr(
                            "convert",
                            "kuairand",
                            "--standard",
                            log.toString(),
                            "--random",
                            log.toString(),
                            "--out",
                            dir.resolve("kuairand-bad").toString(),
                            "--conversion",
                            "long_view"),
                    "no column 'long_view'");
        }

        @Test
        void convertsTheShippedCoatData() {
            Path out = dir.resolve("coat");
            Result r = cvr("convert", "coat", "--out", out.toString(), "--threshold", "4");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(out.resolve("train.arrow")).isRegularFile();
            assertThat(out.resolve("test.arrow")).isRegularFile();
        }

        @Test
        void aThresholdOutsideTheRatingsIsRefused() {
            assertBadInput(
                    cvr(
                            "convert",
                            "coat",
                            "--out",
                            dir.resolve("c").toString(),
                            "--threshold",
                            "9"),
                    "--threshold",
                    "[1, 5]");
        }

        @Test
        void convertsAMappedCsvAndRefusesAMalformedMapping() throws IOException {
            Path csv = dir.resolve("log.csv");
            Files.writeString(csv, "clk,buy,u,i\n1,1,0,2\n0,0,1,1\n1,0,2,0\n");
            Path out = dir.resolve("log.arrow");
            Result ok =
                    cvr(
                            "convert",
                            "csv",
                            "--in",
                            csv.toString(),
                            "--out",
                            out.toString(),
                            "--click",
                            "clk",
                            "--conversion",
                            "buy",
                            "--feature",
                            "u:user:3",
                            "--feature",
                            "i:item:3");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(out).isRegularFile();
            assertBadInput(
                    cvr(
                            "convert",
                            "csv",
                            "--in",
                            csv.toString(),
                            "--out",
                            dir.resolve("bad.arrow").toString(),
                            "--click",
                            "clk",
                            "--conversion",
                            "buy",
                            "--feature",
                            "u:user"),
                    "COLUMN:ROLE:CARDINALITY");
        }
    }

    @Nested
    class Train {
        @Test
        void savesAModelWithItsProvenance() throws IOException {
            assertThat(model).isDirectory();
            try (Stream<Path> files = Files.list(model)) {
                assertThat(files.count()).isPositive();
            }
        }

        @Test
        void anUnknownSettingSuggestsTheNearestKey() {
            assertBadInput(
                    cvr(
                            "train",
                            "--estimator",
                            "multi-ipw",
                            "--train",
                            train.toString(),
                            "--model",
                            dir.resolve("m2").toString(),
                            "--set",
                            "ipw-bound-pc=50"),
                    "ipw-bound-pc",
                    "did you mean 'ipw-bound-pct'");
            assertThat(dir.resolve("m2")).doesNotExist();
        }

        /** Whether a gradient bound binds is what a user choosing it needs to see. */
        @Test
        void aGradientClipSaysHowOftenItBoundAndOtherwiseNothing() {
            for (String bound : new String[] {"0.001", "0"}) {
                Result r =
                        cvr(
                                "train",
                                "--estimator",
                                "base",
                                "--train",
                                train.toString(),
                                "--epochs",
                                "1",
                                "--quiet",
                                "--set",
                                "gradient-clip-norm=" + bound,
                                "--model",
                                dir.resolve("m-clip-" + bound).toString());
                assertThat(r.code()).as(r.err()).isZero();
                if (bound.equals("0")) {
                    assertThat(r.out()).contains("Trained base").doesNotContain("Gradient clip");
                } else {
                    assertThat(r.out())
                            .containsPattern(
                                    "Gradient clip: 100\\.0% of steps rescaled \\(largest norm");
                }
            }
        }

        /** Validation rows of another world would choose the epoch by noise: one warning line. */
        @Test
        void validationDataOfAnotherWorldIsWarnedAbout() {
            Path elsewhere = dir.resolve("train-valid-elsewhere.arrow");
            Result generated =
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--seed",
                            "5",
                            "--rows",
                            "1000",
                            "--out",
                            elsewhere.toString());
            assertThat(generated.code()).as(generated.err()).isZero();
            Result r =
                    cvr(
                            "train",
                            "--estimator",
                            "base",
                            "--train",
                            train.toString(),
                            "--valid",
                            elsewhere.toString(),
                            "--epochs",
                            "1",
                            "--quiet",
                            "--model",
                            dir.resolve("m-valid-elsewhere").toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err())
                    .containsOnlyOnce("Warning: ")
                    .contains(
                            "train-valid-elsewhere.arrow comes from another synthetic world than"
                                    + " the training data",
                            "'--valid-rows'");
        }

        @Test
        void anOutOfRangeSettingNamesTheKeyAndTheRange() {
            assertBadInput(
                    cvr(
                            "train",
                            "--estimator",
                            "multi-dr",
                            "--train",
                            train.toString(),
                            "--model",
                            dir.resolve("m3").toString(),
                            "--set",
                            "undersample-rate=0"),
                    "undersample-rate",
                    "(0, +inf]");
        }
    }

    @Nested
    class Evaluate {
        @Test
        void printsEveryMetricWithItsSpaceNamed() {
            Result r =
                    cvr(
                            "evaluate",
                            "--model",
                            model.toString(),
                            "--data",
                            test.toString(),
                            "--json");
            assertThat(r.code()).as(r.err()).isZero();
            var metrics =
                    JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("metrics");
            var spaces =
                    metrics.asList().stream()
                            .map(m -> m.getAsJsonObject().get("space").getAsString())
                            .distinct()
                            .toList();
            assertThat(spaces)
                    .contains("cvr-clicked", "cvr-exposure", "cvr-exposure-true", "ctcvr", "ctr");
            Result text =
                    cvr(
                            "evaluate",
                            "--model",
                            model.toString(),
                            "--data",
                            test.toString(),
                            "--space",
                            "clicked");
            assertThat(text.out()).contains("cvr-clicked").doesNotContain("cvr-unclicked");
        }

        @Test
        void aMissingDataFileIsNamed() {
            assertBadInput(
                    cvr(
                            "evaluate",
                            "--model",
                            model.toString(),
                            "--data",
                            dir.resolve("nope.arrow").toString()),
                    "nope.arrow");
        }
    }

    @Nested
    class Predict {
        @Test
        void writesOneLinePerRow() throws IOException {
            Path out = dir.resolve("pred.csv");
            Result r =
                    cvr(
                            "predict",
                            "--model",
                            model.toString(),
                            "--data",
                            test.toString(),
                            "--out",
                            out.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.readAllLines(out))
                    .hasSize(3001)
                    .first()
                    .isEqualTo("row,ctr,cvr,ctcvr");
        }

        @Test
        void aFolderThatIsNoModelIsRefused() {
            assertBadInput(
                    cvr(
                            "predict",
                            "--model",
                            dir.toString(),
                            "--data",
                            test.toString(),
                            "--out",
                            dir.resolve("p.csv").toString()));
            assertThat(dir.resolve("p.csv")).doesNotExist();
        }
    }

    @Nested
    class Compare {
        @Test
        void writesTheTableAndTheReportFolder() {
            Path report = dir.resolve("cmp");
            Result r =
                    cvr(
                            "compare",
                            "--estimators",
                            "base,multi-ipw",
                            "--train",
                            train.toString(),
                            "--test",
                            test.toString(),
                            "--seeds",
                            "2",
                            "--preset",
                            "small",
                            "--epochs",
                            "1",
                            "--quiet",
                            "--report",
                            report.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("CVR AUC clicked", "base", "multi-ipw", "±", "DeLong");
            assertThat(report.resolve("report.md")).isRegularFile();
            assertThat(report.resolve("report.json")).isRegularFile();
            assertThat(report.resolve("auc.png")).isRegularFile();
            assertThat(report.resolve("roc.png")).isRegularFile();
            assertThat(report.resolve("calibration.png")).isRegularFile();
        }

        @Test
        void jsonPrintsTheNumbersOfReportJson() throws IOException {
            Path report = dir.resolve("cmp-json");
            Result r =
                    cvr(
                            "compare",
                            "--estimators",
                            "base",
                            "--train",
                            train.toString(),
                            "--test",
                            test.toString(),
                            "--seeds",
                            "1",
                            "--preset",
                            "small",
                            "--epochs",
                            "1",
                            "--quiet",
                            "--json",
                            "--report",
                            report.toString());
            var printed = printedReportJson(r, report);
            assertThat(exposureTrueAuc(printed, "base")).isGreaterThan(0.5);
            assertThat(
                            printed.getAsJsonObject("summary")
                                    .getAsJsonObject("base")
                                    .getAsJsonObject("cvr-exposure-true/auc")
                                    .get("runs")
                                    .getAsInt())
                    .isEqualTo(1);
        }

        @Test
        void stoppingEarlyOnValidationGivesTheModelThatTrainWithTheSameValidationGives()
                throws IOException {
            Path valid = dir.resolve("compare-valid.arrow");
            Result generated =
                    cvr(
                            "generate",
                            "--preset",
                            "small",
                            "--seed",
                            "3",
                            "--first-row",
                            "9000",
                            "--rows",
                            "2000",
                            "--out",
                            valid.toString());
            assertThat(generated.code()).as(generated.err()).isZero();
            String[] stopping = {
                "--valid", valid.toString(),
                "--preset", "small",
                "--epochs", "3",
                "--set", "patience=1",
                "--quiet"
            };
            Path report = dir.resolve("cmp-valid");
            double viaCompare = seedOneAuc(report, stopping);
            assertThat(Files.readString(report.resolve("report.md")))
                    .contains("every run stops early by cvr-clicked:auc on compare-valid.arrow")
                    .contains("Early stopping on validation");
            // The run says which epoch it kept: the first best of its validation curve, and with
            // patience 1 it trained one epoch past it unless it reached the last.
            var validation =
                    JsonParser.parseString(Files.readString(report.resolve("report.json")))
                            .getAsJsonObject()
                            .getAsJsonArray("runs")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonObject("validation");
            int kept = validation.get("epochKept").getAsInt();
            int epochs = validation.get("epochsTrained").getAsInt();
            var curve =
                    validation.getAsJsonArray("scores").asList().stream()
                            .map(e -> e.getAsDouble())
                            .toList();
            assertThat(curve).hasSize(epochs);
            assertThat(epochs).isEqualTo(Math.min(kept + 1, 3));
            assertThat(curve.get(kept - 1)).isEqualTo(java.util.Collections.max(curve));
            assertThat(curve.subList(0, kept - 1)).allMatch(v -> v < curve.get(kept - 1));

            Path stopped = dir.resolve("model-valid");
            Result trained =
                    cvr(
                            concat(
                                    new String[] {"train", "--estimator", "base"},
                                    new String[] {"--train", train.toString(), "--seed", "1"},
                                    stopping,
                                    new String[] {"--model", stopped.toString()}));
            assertThat(trained.code()).as(trained.err()).isZero();
            Result evaluated =
                    cvr(
                            "evaluate",
                            "--model",
                            stopped.toString(),
                            "--data",
                            test.toString(),
                            "--json");
            assertThat(evaluated.code()).as(evaluated.err()).isZero();
            double viaTrain =
                    JsonParser.parseString(evaluated.out())
                            .getAsJsonObject()
                            .getAsJsonArray("metrics")
                            .asList()
                            .stream()
                            .map(e -> e.getAsJsonObject())
                            .filter(
                                    m ->
                                            m.get("space").getAsString().equals("cvr-exposure-true")
                                                    && m.get("metric").getAsString().equals("auc"))
                            .findFirst()
                            .orElseThrow()
                            .get("value")
                            .getAsDouble();
            assertThat(viaCompare).isEqualTo(viaTrain);

            // And stopping early mattered here: without it, the three epochs give another model.
            Path full = dir.resolve("cmp-no-stopping");
            assertThat(
                            seedOneAuc(
                                    full,
                                    concat(stopping, new String[] {"--early-stopping", "none"})))
                    .isNotEqualTo(viaCompare);
            assertThat(Files.readString(full.resolve("report.md"))).doesNotContain("stops early");
        }

        /**
         * {@code --settings none} is the word demo taught: on Coat it runs every estimator with its
         * own defaults instead of the built-in tuned file, which an absent option reads.
         */
        @Test
        void settingsNoneRunsCoatWithTheEstimatorsOwnDefaults() throws IOException {
            String[] coat = {
                "compare",
                "--dataset",
                "coat",
                "--coat",
                Path.of("..", "data", "coat").toString(),
                "--estimators",
                "base",
                "--seeds",
                "1",
                "--epochs",
                "1",
                "--quiet",
                "--json"
            };
            Path tunedReport = dir.resolve("coat-tuned");
            var tuned =
                    printedReportJson(
                            cvr(
                                    concat(
                                            coat,
                                            new String[] {
                                                "--work", dir.resolve("coat-work-1").toString(),
                                                "--report", tunedReport.toString()
                                            })),
                            tunedReport);
            Path defaultsReport = dir.resolve("coat-defaults");
            var defaults =
                    printedReportJson(
                            cvr(
                                    concat(
                                            coat,
                                            new String[] {
                                                "--settings", "none",
                                                "--work", dir.resolve("coat-work-2").toString(),
                                                "--report", defaultsReport.toString()
                                            })),
                            defaultsReport);
            var tunedProvenance = tuned.getAsJsonObject("provenance");
            var defaultsProvenance = defaults.getAsJsonObject("provenance");
            assertThat(tunedProvenance.get("settings").getAsString())
                    .startsWith("built-in tuned/coat-5-5-90.json");
            assertThat(defaultsProvenance.has("settings")).isFalse();
            // The tuned entry sets base's network; the defaults leave it to the backend.
            assertThat(tunedProvenance.getAsJsonObject("estimators").get("base").getAsString())
                    .contains("preset=esmm-official", "learning-rate=0.0126");
            assertThat(defaultsProvenance.getAsJsonObject("estimators").get("base").getAsString())
                    .isEqualTo("base {}");
            double tunedAuc = cvrClickedAuc(tuned);
            double defaultAuc = cvrClickedAuc(defaults);
            assertThat(defaultAuc).isNotEqualTo(tunedAuc);
        }

        @Test
        void settingsNoneIsTheSameComparisonAsNoSettingsWhereNoFileIsBuiltIn() throws IOException {
            double plain = seedOneAuc(dir.resolve("cmp-plain"), "--quiet", "--epochs", "1");
            double none =
                    seedOneAuc(
                            dir.resolve("cmp-none"),
                            "--quiet",
                            "--epochs",
                            "1",
                            "--settings",
                            "none");
            assertThat(none).isEqualTo(plain);
        }

        /** Base's mean clicked-space CVR AUC. */
        private double cvrClickedAuc(JsonObject printed) {
            return printed.getAsJsonObject("summary")
                    .getAsJsonObject("base")
                    .getAsJsonObject("cvr-clicked/auc")
                    .get("mean")
                    .getAsDouble();
        }

        @Test
        void earlyStoppingWithoutValidationDataIsRefused() {
            assertBadInput(compareBase("--early-stopping", "cvr-clicked:auc"), "--valid");
        }

        @Test
        void zeroSeedsIsRefused() {
            assertBadInput(compareBase("--seeds", "0"), "--seeds");
        }

        /** Base's exposure-space AUC against the true CVR, seed 1, {@code more} added. */
        private double seedOneAuc(Path report, String... more) throws IOException {
            Result r =
                    compareBase(
                            concat(
                                    new String[] {
                                        "--seeds", "1", "--json", "--report", report.toString()
                                    },
                                    more));
            return exposureTrueAuc(printedReportJson(r, report), "base");
        }

        /** {@code cvr compare --estimators base --train TRAIN --test TEST} and {@code more}. */
        private Result compareBase(String... more) {
            return cvr(
                    concat(
                            new String[] {
                                "compare",
                                "--estimators",
                                "base",
                                "--train",
                                train.toString(),
                                "--test",
                                test.toString()
                            },
                            more));
        }
    }

    @Nested
    class Tune {
        /**
         * tune adds its entry to an existing --out, so a file there that is not a settings file is
         * refused before the search, in one line that says where it stopped parsing, and kept.
         */
        @Test
        void anOutThatIsNotASettingsFileIsRefusedBeforeTheSearchAndKept() throws IOException {
            Path notes = Files.writeString(dir.resolve("tune-notes.json"), "not json\n");
            assertBadInput(
                    cvr(
                            "tune",
                            "--estimator",
                            "base",
                            "--train",
                            train.toString(),
                            "--valid",
                            test.toString(),
                            "--trials",
                            "2",
                            "--out",
                            notes.toString()),
                    "Option --out",
                    "tune-notes.json: not JSON (malformed at line 1 column",
                    "name one or a new path");
            assertThat(Files.readString(notes)).isEqualTo("not json\n");
        }

        @Test
        void writesASettingsFileThatCompareRunsWith() throws IOException {
            Path settings = dir.resolve("tuned/tiny.json");
            Result tuned =
                    cvr(
                            "tune",
                            "--estimator",
                            "base",
                            "--train",
                            train.toString(),
                            "--valid",
                            test.toString(),
                            "--space",
                            "learning-rate=choice(0.002,0.004)",
                            "--only-space",
                            "--trials",
                            "2",
                            "--min-epochs",
                            "1",
                            "--max-epochs",
                            "1",
                            "--preset",
                            "small",
                            "--quiet",
                            "--json",
                            "--out",
                            settings.toString());
            assertThat(tuned.code()).as(tuned.err()).isZero();
            var search = JsonParser.parseString(tuned.out()).getAsJsonObject();
            String lr = search.getAsJsonObject("chosen").get("learning-rate").getAsString();
            assertThat(lr).isIn("0.002", "0.004");
            assertThat(Files.readString(settings)).contains("causal-cvr-settings", lr);

            Result compared =
                    cvr(
                            "compare",
                            "--estimators",
                            "base",
                            "--train",
                            train.toString(),
                            "--test",
                            test.toString(),
                            "--seeds",
                            "1",
                            "--settings",
                            settings.toString(),
                            "--quiet",
                            "--json");
            assertThat(compared.code()).as(compared.err()).isZero();
            var run =
                    JsonParser.parseString(compared.out())
                            .getAsJsonObject()
                            .getAsJsonArray("runs")
                            .get(0)
                            .getAsJsonObject();
            var config = run.getAsJsonObject("provenance").getAsJsonObject("backendConfig");
            assertThat(config.get("learning-rate").getAsDouble()).isEqualTo(Double.parseDouble(lr));
            assertThat(config.get("epochs").getAsString()).isEqualTo("1");
        }

        /**
         * --train and --valid given twice are two folds: the score is their mean, the settings
         * file's note repeats both pairs, and an unpaired --train is refused before any training.
         */
        @Test
        void twoPairsOfTrainAndValidAreTwoFoldsAndAnUnpairedOneIsRefused() throws IOException {
            Path settings = dir.resolve("tuned/folds.json");
            List<String> common =
                    List.of(
                            "tune",
                            "--estimator",
                            "base",
                            "--space",
                            "learning-rate=choice(0.004)",
                            "--only-space",
                            "--trials",
                            "1",
                            "--min-epochs",
                            "1",
                            "--max-epochs",
                            "1",
                            "--preset",
                            "small",
                            "--quiet",
                            "--json",
                            "--out",
                            settings.toString());
            var args = new java.util.ArrayList<>(common);
            args.addAll(
                    List.of(
                            "--train",
                            train.toString(),
                            "--valid",
                            test.toString(),
                            "--train",
                            test.toString(),
                            "--valid",
                            train.toString()));
            Result folds = cvr(args.toArray(String[]::new));
            assertThat(folds.code()).as(folds.err()).isZero();
            var search = JsonParser.parseString(folds.out()).getAsJsonObject();
            assertThat(search.get("metric").getAsString()).endsWith("(mean of 2 folds)");
            assertThat(Files.readString(settings))
                    .contains(
                            "--train "
                                    + train
                                    + " --valid "
                                    + test
                                    + " --train "
                                    + test
                                    + " --valid "
                                    + train);

            var unpaired = new java.util.ArrayList<>(common);
            unpaired.addAll(
                    List.of(
                            "--train",
                            train.toString(),
                            "--valid",
                            test.toString(),
                            "--train",
                            test.toString()));
            assertBadInput(
                    cvr(unpaired.toArray(String[]::new)),
                    "--train and --valid come in pairs",
                    "2 --train against 1 --valid");
        }
    }

    @Nested
    class Sweep {
        /** Multi-IPW swept over two bounds on the shared files, one seed, one epoch. */
        private Result sweep(Path report, String... more) {
            var args =
                    new java.util.ArrayList<>(
                            List.of(
                                    "sweep",
                                    "--estimator",
                                    "multi-ipw",
                                    "--param",
                                    "ipw-bound-pct=50,90",
                                    "--train",
                                    train.toString(),
                                    "--test",
                                    test.toString(),
                                    "--seeds",
                                    "1",
                                    "--preset",
                                    "small",
                                    "--epochs",
                                    "1",
                                    "--quiet",
                                    "--report",
                                    report.toString()));
            args.addAll(List.of(more));
            return cvr(args.toArray(String[]::new));
        }

        @Test
        void plotsTheMetricsAgainstTheSweptValues() {
            Path report = dir.resolve("sweep");
            Result r = sweep(report);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("ipw-bound-pct=50", "ipw-bound-pct=90");
            assertThat(report.resolve("sweep.png")).isRegularFile();
        }

        @Test
        void jsonPrintsTheNumbersOfReportJsonForEverySweptValue() throws IOException {
            Path report = dir.resolve("sweep-json");
            var printed = printedReportJson(sweep(report, "--json"), report);
            var summary = printed.getAsJsonObject("summary");
            assertThat(summary.keySet()).hasSize(2);
            for (String arm : summary.keySet()) {
                assertThat(exposureTrueAuc(printed, arm)).as(arm).isGreaterThan(0.5);
            }
            var bounds =
                    printed.getAsJsonArray("runs").asList().stream()
                            .map(
                                    run ->
                                            run.getAsJsonObject()
                                                    .getAsJsonObject("provenance")
                                                    .getAsJsonObject("estimatorConfig")
                                                    .get("ipw-bound-pct")
                                                    .getAsDouble())
                            .toList();
            assertThat(bounds).containsExactlyInAnyOrder(50.0, 90.0);
        }

        @Test
        void anOutOfRangeValueIsRefusedBeforeTraining() {
            assertBadInput(
                    cvr(
                            "sweep",
                            "--estimator",
                            "multi-ipw",
                            "--param",
                            "ipw-bound-pct=50,101",
                            "--train",
                            train.toString(),
                            "--test",
                            test.toString()),
                    "ipw-bound-pct",
                    "[0, 100]");
        }
    }

    @Nested
    class Demo {
        @Test
        void runsEndToEndOnAGeneratedWorld() {
            Path report = dir.resolve("demo");
            Result r =
                    cvr(
                            "demo",
                            "--rows",
                            "12000",
                            "--test-rows",
                            "6000",
                            "--seeds",
                            "1",
                            "--estimators",
                            "base,esmm",
                            "--preset",
                            "small",
                            "--quiet",
                            "--work",
                            dir.resolve("work").toString(),
                            "--report",
                            report.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("CVR AUC exposure", "CVR AUC vs true", "CTCVR AUC");
            assertThat(r.out())
                    .as("one seed ranks, it does not test")
                    .contains("With 1 seed(s) this table ranks the estimators; it does not settle");
            assertThat(report.resolve("report.md")).isRegularFile();
        }

        @Test
        void jsonPrintsTheNumbersOfReportJsonAndNothingElse() throws IOException {
            Path report = dir.resolve("demo-json");
            var printed =
                    printedReportJson(
                            tinyJsonDemo("--epochs", "1", "--report", report.toString()), report);
            // One epoch on 4,000 rows of the default world: a number, not yet a good model.
            double summaryAuc = exposureTrueAuc(printed, "base");
            var run = printed.getAsJsonArray("runs").get(0).getAsJsonObject();
            assertThat(run.get("trainSeconds").getAsJsonPrimitive().isNumber()).isTrue();
            var runAuc = run.getAsJsonObject("metrics").get("cvr-exposure-true/auc");
            assertThat(runAuc.getAsJsonPrimitive().isNumber()).isTrue();
            assertThat(runAuc.getAsDouble()).isEqualTo(summaryAuc); // one seed: mean = the run
        }

        @Test
        void aSettingsFileSetsEachEstimatorAndAnotherWorldReadsNoBuiltInFile() throws IOException {
            Path settings =
                    handWrittenSettings(
                            "demo-settings.json",
                            "{\"base\": {\"learning-rate\": \"0.0042\", \"epochs\": \"1\"}}");
            var printed =
                    printedReportJson(
                            tinyJsonDemo(
                                    "--settings",
                                    settings.toString(),
                                    "--report",
                                    dir.resolve("demo-file").toString()),
                            dir.resolve("demo-file"));
            assertThat(learningRateOfTheFirstRun(printed)).isEqualTo(0.0042);
            assertThat(printed.getAsJsonObject("provenance").get("settings").getAsString())
                    .startsWith(settings.toString() + " (NOT TUNED)");

            // 4,000 rows and the small network are not the default demo: no built-in file.
            var plain =
                    printedReportJson(
                            tinyJsonDemo("--report", dir.resolve("demo-none").toString()),
                            dir.resolve("demo-none"));
            assertThat(plain.getAsJsonObject("provenance").has("settings")).isFalse();
            assertThat(learningRateOfTheFirstRun(plain)).isEqualTo(0.01); // the small preset's
        }

        /** Base alone, one seed, on 4,000 rows of the default world with the small network. */
        private Result tinyJsonDemo(String... more) {
            var args =
                    new ArrayList<>(
                            List.of(
                                    "demo",
                                    "--rows",
                                    "4000",
                                    "--test-rows",
                                    "2000",
                                    "--seeds",
                                    "1",
                                    "--estimators",
                                    "base",
                                    "--preset",
                                    "small",
                                    "--quiet",
                                    "--json",
                                    "--work",
                                    dir.resolve("work-json").toString()));
            args.addAll(List.of(more));
            return cvr(args.toArray(String[]::new));
        }

        private double learningRateOfTheFirstRun(JsonObject printed) {
            return printed.getAsJsonArray("runs")
                    .get(0)
                    .getAsJsonObject()
                    .getAsJsonObject("provenance")
                    .getAsJsonObject("backendConfig")
                    .get("learning-rate")
                    .getAsDouble();
        }

        @Test
        void anUnknownEstimatorIsRefusedBeforeAnythingRuns() {
            assertBadInput(
                    cvr(
                            "demo",
                            "--estimators",
                            "base,nope",
                            "--work",
                            dir.resolve("w2").toString()),
                    "Unknown estimator 'nope'");
            assertThat(dir.resolve("w2")).doesNotExist();
        }
    }

    @Nested
    class Study {
        @Test
        void aLaterFirstSeedTrainsTheRunsOfThoseSeedsAndNoOthers() throws IOException {
            Result r12 = tinyStudy("s12", 2);
            Result r2 = tinyStudy("s2", 1, "--first-seed", "2");
            assertThat(r12.code()).as(r12.err()).isZero();
            assertThat(r2.code()).as(r2.err()).isZero();
            var aucs12 = armAucs(dir.resolve("s12"), 1, "esmm");
            var aucs2 = armAucs(dir.resolve("s2"), 1, "esmm");
            assertThat(aucs12).hasSize(2);
            assertThat(aucs12.get(0)).isNotEqualTo(aucs12.get(1));
            // seed 2 alone is, to the last bit, the second run of seeds 1 and 2
            assertThat(aucs2).containsExactly(aucs12.get(1));

            Result bad =
                    cvr(
                            "study",
                            "--first-seed",
                            "0",
                            "--quiet",
                            "--work",
                            dir.resolve("tiny-study-work").toString(),
                            "--report",
                            dir.resolve("bad").toString());
            assertThat(bad.code()).isNotZero();
            assertThat(bad.err()).contains("--first-seed = 0");
        }

        /**
         * The test AUCs against the true CVR, one per seed, of the study's arm at {@code index}.
         */
        private List<Double> armAucs(Path report, int index, String arm) throws IOException {
            var json =
                    JsonParser.parseString(Files.readString(report.resolve("report.json")))
                            .getAsJsonObject();
            var estimator =
                    json.getAsJsonArray("worlds")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonArray("estimators")
                            .get(index)
                            .getAsJsonObject();
            assertThat(estimator.get("arm").getAsString()).isEqualTo(arm);
            var out = new ArrayList<Double>();
            for (var a : estimator.getAsJsonObject("aucVsTrueCvr").getAsJsonArray("values")) {
                out.add(a.getAsDouble());
            }
            return out;
        }

        @Test
        void aSettingsFileTrainsEachEstimatorWithItsEntryAsTheSameSetWould() throws IOException {
            Path settings =
                    handWrittenSettings(
                            "study-settings.json", "{\"esmm\": {\"learning-rate\": \"0.05\"}}");
            Result withFile = tinyStudy("with-file", 1, "--settings", settings.toString());
            Result without = tinyStudy("without", 1);
            Result bySet = tinyStudy("by-set", 1, "--set", "learning-rate=0.05");
            for (Result r : List.of(withFile, without, bySet)) {
                assertThat(r.code()).as(r.err()).isZero();
            }
            // esmm's entry trains esmm exactly as --set would, and leaves base as it was
            assertThat(armAucs(dir.resolve("with-file"), 1, "esmm"))
                    .containsExactlyElementsOf(armAucs(dir.resolve("by-set"), 1, "esmm"))
                    .doesNotContainAnyElementsOf(armAucs(dir.resolve("without"), 1, "esmm"));
            assertThat(armAucs(dir.resolve("with-file"), 0, "base"))
                    .containsExactlyElementsOf(armAucs(dir.resolve("without"), 0, "base"));
            assertThat(Files.readString(dir.resolve("with-file").resolve("report.json")))
                    .contains("study-settings.json (NOT TUNED): by hand");

            Result missing =
                    tinyStudy("missing", 1, "--settings", dir.resolve("no-such.json").toString());
            assertThat(missing.code()).isNotZero();
            assertThat(missing.err()).contains("no-such.json");
            assertThat(dir.resolve("missing")).doesNotExist();
        }

        /**
         * A study of base and esmm, {@code seeds} seeds of one epoch each, in a small all-seen
         * world, with {@code more} options, reported to {@code report}.
         */
        private Result tinyStudy(String report, int seeds, String... more) {
            var args =
                    new ArrayList<>(
                            List.of(
                                    "study",
                                    "--rows",
                                    "6000",
                                    "--test-rows",
                                    "2000",
                                    "--early-stopping",
                                    "none",
                                    "--choose",
                                    "none",
                                    "--epochs",
                                    "1",
                                    "--estimators",
                                    "base,esmm",
                                    "--seeds",
                                    Integer.toString(seeds),
                                    "--against",
                                    "base",
                                    "--visibilities",
                                    "1",
                                    "--quiet",
                                    "--work",
                                    dir.resolve("tiny-study-work").toString(),
                                    "--report",
                                    dir.resolve(report).toString()));
            args.addAll(List.of(more));
            return cvr(args.toArray(String[]::new));
        }

        @Test
        void runsTheGridAndWritesAReportWithEveryWorldAndBucket() throws IOException {
            Path report = dir.resolve("study");
            Result r =
                    cvr(
                            "study",
                            "--rows",
                            "8000",
                            "--test-rows",
                            "3000",
                            "--valid-rows",
                            "2000",
                            "--epochs",
                            "2",
                            "--seeds",
                            "2",
                            "--estimators",
                            "base,esmm",
                            "--against",
                            "base",
                            "--visibilities",
                            "0,1",
                            "--quiet",
                            "--work",
                            dir.resolve("study-work").toString(),
                            "--report",
                            report.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("visibility 0", "visibility 1", "vs base", "user tail");
            var json =
                    JsonParser.parseString(Files.readString(report.resolve("report.json")))
                            .getAsJsonObject();
            assertThat(json.get("format").getAsString()).isEqualTo("causal-cvr-study");
            var worlds = json.getAsJsonArray("worlds");
            assertThat(worlds.size()).isEqualTo(2);
            for (var w : worlds) {
                var world = w.getAsJsonObject();
                long rows = 0;
                for (var b : world.getAsJsonObject("buckets").getAsJsonArray("item")) {
                    rows += b.getAsJsonObject().get("rows").getAsLong();
                }
                assertThat(rows).isEqualTo(3000);
                var esmm = world.getAsJsonArray("estimators").get(1).getAsJsonObject();
                assertThat(esmm.get("arm").getAsString()).isEqualTo("esmm");
                var aucs = esmm.getAsJsonObject("aucVsTrueCvr").getAsJsonArray("values");
                assertThat(aucs.size()).isEqualTo(2);
                for (var a : aucs) {
                    assertThat(a.getAsDouble()).isBetween(0.3, 1.0);
                }
                var tests = esmm.getAsJsonObject("deLong").getAsJsonObject("base");
                assertThat(tests.getAsJsonArray("seeds").size()).isEqualTo(2);
                // the learning rate chosen on the validation rows, and each run's kept epoch
                var choice = esmm.getAsJsonObject("chosenOnValidation");
                assertThat(choice.getAsJsonObject("chosen").get("learning-rate").getAsString())
                        .isIn("0.001", "0.003", "0.01");
                // by default each setting is scored on the mean validation score of three seeds
                assertThat(choice.getAsJsonArray("seeds").toString()).isEqualTo("[1,2,3]");
                assertThat(
                                choice.getAsJsonObject("chosen")
                                        .get("learning-rate-decay")
                                        .getAsString())
                        .isIn("1", "0.3");
                // esmm has no undersample-rate: only the learning rate and its decay are tried
                assertThat(choice.getAsJsonObject("validationScoreBySettings").keySet())
                        .containsExactly(
                                "learning-rate=0.001, learning-rate-decay=1",
                                "learning-rate=0.001, learning-rate-decay=0.3",
                                "learning-rate=0.003, learning-rate-decay=1",
                                "learning-rate=0.003, learning-rate-decay=0.3",
                                "learning-rate=0.01, learning-rate-decay=1",
                                "learning-rate=0.01, learning-rate-decay=0.3");
                // the study's own patience unless --set says otherwise
                assertThat(world.getAsJsonObject("provenance").get("backend").getAsString())
                        .contains("patience=1");
                for (var e : esmm.getAsJsonArray("epochKept")) {
                    assertThat(e.getAsInt()).isBetween(1, 2);
                }
                // the world's two oracles on the same test rows: unbiased given the features,
                // biased by the selection among clicks unless the confounder is all seen
                var oracles = world.getAsJsonArray("oracles");
                assertThat(oracles.size()).isEqualTo(2);
                var features = oracles.get(0).getAsJsonObject();
                var limit = oracles.get(1).getAsJsonObject();
                assertThat(features.get("name").getAsString()).isEqualTo("oracle E[q | x]");
                assertThat(features.get("biasOfMean").getAsDouble()).isBetween(-0.005, 0.005);
                boolean allSeen = world.get("label").getAsString().equals("visibility 1");
                if (allSeen) {
                    assertThat(limit.get("aucVsTrueCvr").getAsDouble())
                            .isEqualTo(features.get("aucVsTrueCvr").getAsDouble());
                } else {
                    assertThat(limit.get("biasOfMean").getAsDouble()).isGreaterThan(0.03);
                }
                for (var a : aucs) {
                    assertThat(features.get("aucVsTrueCvr").getAsDouble())
                            .isGreaterThan(a.getAsDouble());
                }
            }
            assertThat(r.out()).contains("oracle E[q | x, o=1]");
            assertThat(report.resolve("study.png")).isRegularFile();
            assertThat(Files.readString(report.resolve("report.md")))
                    .contains("**Theory:** All of the confounder is hidden");
        }

        @Test
        void aChoiceWithoutValuesOrWithoutEarlyStoppingIsRefusedBeforeAnythingRuns() {
            assertBadInput(
                    cvr(
                            "study",
                            "--choose",
                            "learning-rate",
                            "--work",
                            dir.resolve("w4").toString()),
                    "--choose",
                    "learning-rate");
            assertBadInput(
                    cvr(
                            "study",
                            "--early-stopping",
                            "none",
                            "--work",
                            dir.resolve("w4").toString()),
                    "--choose",
                    "--early-stopping");
            assertThat(dir.resolve("w4")).doesNotExist();
        }

        @Test
        void noChoosingSeedIsRefusedBeforeAnythingRuns() {
            assertBadInput(
                    cvr("study", "--choose-seeds", "0", "--work", dir.resolve("w5").toString()),
                    "--choose-seeds",
                    "0");
            assertThat(dir.resolve("w5")).doesNotExist();
        }

        @Test
        void aVisibilityOutsideZeroToOneIsRefusedBeforeAnythingRuns() {
            assertBadInput(
                    cvr("study", "--visibilities", "0,1.5", "--work", dir.resolve("w3").toString()),
                    "--visibilities",
                    "1.5");
            assertThat(dir.resolve("w3")).doesNotExist();
        }
    }
}
