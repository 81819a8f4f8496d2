package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reliability corpus (issue 14): bad inputs and faults a user meets, each run against the tool
 * in a fresh folder. A bad input must be refused cleanly: a non-zero exit, exactly one {@code cvr:}
 * line naming the file, row or option, and nothing that existed before changed or left behind. A
 * fault (what a {@code kill -9} leaves) must be survived: the next run succeeds, cleans what the
 * killed run left, and loses nothing. The summary line goes to {@code
 * target/reliability-corpus.txt} and the README's Reliability section.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReliabilityCorpusTest {
    @TempDir Path dir;
    Path train;
    Path model;

    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger survived = new AtomicInteger();
    private final AtomicInteger cases = new AtomicInteger();

    enum Expect {
        REFUSED,
        SURVIVED
    }

    /** One corpus entry: prepares its folder and returns the command line to run there. */
    interface Setup {
        Run prepare(Path c) throws IOException;
    }

    /**
     * The command and what the error line must name (for a refusal), or the files that must be gone
     * afterwards (for a survived fault).
     */
    record Run(List<String> args, String names, List<Path> goneAfter) {
        static Run refused(String names, String... args) {
            return new Run(List.of(args), names, List.of());
        }

        static Run survives(List<Path> goneAfter, String... args) {
            return new Run(List.of(args), null, goneAfter);
        }
    }

    record Case(String name, Expect expect, Setup setup) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Result(int code, String out, String err) {}

    static Result cvr(List<String> args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int code =
                Cvr.execute(
                        args.toArray(String[]::new),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeAll
    void world() throws IOException {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        train = shared.resolve("train.arrow");
        model = shared.resolve("model");
        Result g =
                cvr(
                        List.of(
                                "generate",
                                "--preset",
                                "small",
                                "--rows",
                                "2000",
                                "--seed",
                                "3",
                                "--out",
                                train.toString()));
        assertThat(g.code()).as(g.err()).isZero();
        Result t =
                cvr(
                        List.of(
                                "train",
                                "--estimator",
                                "base",
                                "--train",
                                train.toString(),
                                "--model",
                                model.toString(),
                                "--preset",
                                "small",
                                "--epochs",
                                "1",
                                "--quiet"));
        assertThat(t.code()).as(t.err()).isZero();
    }

    Stream<Case> corpus() {
        List<Case> all = new ArrayList<>();
        // --- bad CSV
        all.add(
                refused(
                        "csv: a label that is not 0/1",
                        c -> {
                            Path csv = write(c.resolve("log.csv"), "clk,buy,u\n1,1,0\n0,x,1\n");
                            return Run.refused("log.csv", csvArgs(csv, c, "clk", "buy"));
                        }));
        all.add(
                refused(
                        "csv: one column for click and conversion",
                        c -> {
                            Path csv = write(c.resolve("log.csv"), "clk,buy,u\n1,1,0\n0,0,1\n");
                            return Run.refused("clk", csvArgs(csv, c, "clk", "clk"));
                        }));
        all.add(
                refused(
                        "csv: a missing column",
                        c -> {
                            Path csv = write(c.resolve("log.csv"), "clk,buy,u\n1,1,0\n0,0,1\n");
                            return Run.refused("nope", csvArgs(csv, c, "clk", "nope"));
                        }));
        all.add(
                refused(
                        "csv: the input file does not exist",
                        c ->
                                Run.refused(
                                        "missing.csv",
                                        csvArgs(c.resolve("missing.csv"), c, "clk", "buy"))));
        // --- bad Coat
        all.add(
                refused(
                        "coat: the folder does not exist",
                        c ->
                                Run.refused(
                                        "no-coat",
                                        "convert",
                                        "coat",
                                        "--coat",
                                        c.resolve("no-coat").toString(),
                                        "--out",
                                        c.resolve("out").toString())));
        all.add(
                refused(
                        "coat: a train.ascii that is not a rating matrix",
                        c -> {
                            Path coat = Files.createDirectories(c.resolve("coat"));
                            write(coat.resolve("train.ascii"), "1 two 3\n0 0 0\n");
                            write(coat.resolve("test.ascii"), "1 0 3\n0 0 0\n");
                            return Run.refused(
                                    "coat",
                                    "convert",
                                    "coat",
                                    "--coat",
                                    coat.toString(),
                                    "--out",
                                    c.resolve("out").toString());
                        }));
        // --- bad options
        all.add(
                refused(
                        "option: unknown option",
                        c -> Run.refused("--bogus", "train", "--bogus", "1")));
        all.add(
                refused(
                        "option: unknown estimator",
                        c ->
                                Run.refused(
                                        "no-such-estimator",
                                        trainArgs(c.resolve("m"), "no-such-estimator"))));
        all.add(
                refused(
                        "option: epochs not a number",
                        c -> {
                            List<String> a = new ArrayList<>(List.of(trainArgs(c.resolve("m"))));
                            a.set(a.indexOf("1"), "one");
                            return Run.refused("--epochs", a.toArray(String[]::new));
                        }));
        // --- bad data files
        all.add(
                refused(
                        "arrow: truncated file",
                        c -> {
                            byte[] b = Files.readAllBytes(train);
                            Path t = c.resolve("truncated.arrow");
                            Files.write(t, java.util.Arrays.copyOf(b, b.length / 2));
                            return Run.refused("truncated.arrow", evaluateArgs(model, t));
                        }));
        all.add(
                refused(
                        "arrow: empty file",
                        c ->
                                Run.refused(
                                        "empty.arrow",
                                        evaluateArgs(model, write(c.resolve("empty.arrow"), "")))));
        all.add(
                refused(
                        "arrow: a text file under a data file's name",
                        c ->
                                Run.refused(
                                        "text.arrow",
                                        evaluateArgs(
                                                model,
                                                write(
                                                        c.resolve("text.arrow"),
                                                        "user,item\n1,2\n")))));
        all.add(
                refused(
                        "arrow: a flipped bit in the labels (--verify)",
                        c -> {
                            byte[] b = Files.readAllBytes(train);
                            // the middle of the file is record-batch body, covered by the checksum
                            b[b.length / 2] ^= 0x10;
                            Path t = Files.write(c.resolve("flipped.arrow"), b);
                            List<String> a = new ArrayList<>(List.of(evaluateArgs(model, t)));
                            a.add("--verify");
                            return Run.refused("flipped.arrow", a.toArray(String[]::new));
                        }));
        all.add(
                refused(
                        "parquet: not a Parquet file",
                        c ->
                                Run.refused(
                                        "bad.parquet",
                                        evaluateArgs(
                                                model,
                                                write(
                                                        c.resolve("bad.parquet"),
                                                        "PAR1 not really")))));
        all.add(
                refused(
                        "data: the file does not exist",
                        c ->
                                Run.refused(
                                        "absent.arrow",
                                        evaluateArgs(model, c.resolve("absent.arrow")))));
        // --- output collisions and foreign folders
        all.add(
                refused(
                        "output: --model is a folder of the user's",
                        c -> {
                            Path victim = Files.createDirectories(c.resolve("victim"));
                            write(victim.resolve("thesis.txt"), "x");
                            return Run.refused(victim.toString(), trainArgs(victim));
                        }));
        all.add(
                refused(
                        "output: --model is a file",
                        c -> {
                            Path file = write(c.resolve("notes.txt"), "data");
                            return Run.refused(file.toString(), trainArgs(file));
                        }));
        all.add(
                refused(
                        "output: --model . (the working directory)",
                        c -> Run.refused("is not", trainArgs(Path.of(".")))));
        all.add(
                refused(
                        "output: --report is a folder of the user's",
                        c -> {
                            Path victim = Files.createDirectories(c.resolve("drafts"));
                            write(victim.resolve("draft.md"), "x");
                            return Run.refused(
                                    victim.toString(),
                                    "compare",
                                    "--estimators",
                                    "base",
                                    "--train",
                                    train.toString(),
                                    "--test",
                                    train.toString(),
                                    "--seeds",
                                    "1",
                                    "--preset",
                                    "small",
                                    "--epochs",
                                    "1",
                                    "--quiet",
                                    "--report",
                                    victim.toString());
                        }));
        all.add(
                refused(
                        "model: a missing --model with a .old twin beside it",
                        c -> {
                            copyTree(model, c.resolve("ghost.old"));
                            return Run.refused(
                                    "ghost",
                                    "predict",
                                    "--model",
                                    c.resolve("ghost").toString(),
                                    "--data",
                                    train.toString(),
                                    "--out",
                                    c.resolve("p.csv").toString());
                        }));
        // --- malformed model files
        all.add(
                refused(
                        "model.json: a hidden width of 30,000,000",
                        c -> {
                            Path m = copyTree(model, c.resolve("m"));
                            edit(
                                    m.resolve("model.json"),
                                    "\"hidden\": [",
                                    "\"hidden\": [30000000, ");
                            return Run.refused("model.json", evaluateArgs(m, train));
                        }));
        all.add(
                refused(
                        "model.json: activation of the wrong type",
                        c -> {
                            Path m = copyTree(model, c.resolve("m"));
                            String json = Files.readString(m.resolve("model.json"));
                            Files.writeString(
                                    m.resolve("model.json"),
                                    json.replaceAll(
                                            "\"activation\": \"[a-z_]+\"", "\"activation\": 5"));
                            return Run.refused("model.json", evaluateArgs(m, train));
                        }));
        all.add(
                refused(
                        "model.json: not JSON",
                        c -> {
                            Path m = copyTree(model, c.resolve("m"));
                            write(m.resolve("model.json"), "{\"format\":");
                            return Run.refused("model.json", evaluateArgs(m, train));
                        }));
        all.add(
                refused(
                        "model.json: missing",
                        c -> {
                            Path m = copyTree(model, c.resolve("m"));
                            Files.delete(m.resolve("model.json"));
                            return Run.refused(m.toString(), evaluateArgs(m, train));
                        }));
        all.add(
                refused(
                        "params.bin: truncated",
                        c -> {
                            Path m = copyTree(model, c.resolve("m"));
                            byte[] b = Files.readAllBytes(m.resolve("params.bin"));
                            Files.write(
                                    m.resolve("params.bin"),
                                    java.util.Arrays.copyOf(b, b.length - 7));
                            return Run.refused("params.bin", evaluateArgs(m, train));
                        }));
        all.add(
                refused(
                        "params.bin: a flipped bit",
                        c -> {
                            Path m = copyTree(model, c.resolve("m"));
                            byte[] b = Files.readAllBytes(m.resolve("params.bin"));
                            b[b.length / 2] ^= 0x01;
                            Files.write(m.resolve("params.bin"), b);
                            return Run.refused("params.bin", evaluateArgs(m, train));
                        }));
        // --- faults survived: what a kill -9 leaves behind
        all.add(
                survived(
                        "kill -9 during generate left a staging file",
                        c -> {
                            Path out = c.resolve("out.arrow");
                            Path stale = write(c.resolve(".out.arrow.tmp-99999999-k1"), "half");
                            return Run.survives(
                                    List.of(stale),
                                    "generate",
                                    "--preset",
                                    "small",
                                    "--rows",
                                    "300",
                                    "--seed",
                                    "1",
                                    "--out",
                                    out.toString());
                        }));
        all.add(
                survived(
                        "kill -9 during predict left a staging file",
                        c -> {
                            Path stale = write(c.resolve(".p.csv.tmp-99999999-k2"), "half");
                            return Run.survives(
                                    List.of(stale),
                                    "predict",
                                    "--model",
                                    model.toString(),
                                    "--data",
                                    train.toString(),
                                    "--out",
                                    c.resolve("p.csv").toString());
                        }));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadInputIsRefusedCleanlyAndEachFaultSurvived(Case k) throws IOException {
        Path c = Files.createDirectories(dir.resolve("case-" + cases.incrementAndGet()));
        Run run = k.setup().prepare(c);
        Map<String, String> before = snapshot(dir);

        Result r = cvr(run.args());

        Map<String, String> after = snapshot(dir);
        for (var e : before.entrySet()) {
            if (!run.goneAfter().contains(Path.of(e.getKey()))) {
                assertThat(after.get(e.getKey()))
                        .as("%s: %s kept as it was", k, e.getKey())
                        .isEqualTo(e.getValue());
            }
        }
        if (k.expect() == Expect.REFUSED) {
            assertThat(r.code()).as("%s: %s", k, r.err()).isNotZero();
            List<String> errors = r.err().lines().filter(l -> l.startsWith("cvr: ")).toList();
            assertThat(errors).as("%s: %s", k, r.err()).hasSize(1);
            assertThat(errors.get(0)).as(k.name()).contains(run.names());
            assertThat(after.keySet()).as("%s: nothing left behind", k).isEqualTo(before.keySet());
            refused.incrementAndGet();
        } else {
            assertThat(r.code()).as("%s: %s", k, r.err()).isZero();
            for (Path gone : run.goneAfter()) {
                assertThat(gone).as(k.name()).doesNotExist();
            }
            survived.incrementAndGet();
        }
    }

    @AfterAll
    void summary() throws IOException {
        String line =
                String.format(
                        "Reliability corpus: %d cases, %d refused cleanly, %d faults survived with"
                                + " nothing lost",
                        cases.get(), refused.get(), survived.get());
        System.out.println(line);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("reliability-corpus.txt"), line + "\n");
        }
    }

    private static Case refused(String name, Setup s) {
        return new Case(name, Expect.REFUSED, s);
    }

    private static Case survived(String name, Setup s) {
        return new Case(name, Expect.SURVIVED, s);
    }

    private static String[] csvArgs(Path csv, Path c, String click, String conversion) {
        return new String[] {
            "convert",
            "csv",
            "--in",
            csv.toString(),
            "--out",
            c.resolve("log.arrow").toString(),
            "--click",
            click,
            "--conversion",
            conversion,
            "--feature",
            "u:user:3"
        };
    }

    private String[] trainArgs(Path modelPath) {
        return trainArgs(modelPath, "base");
    }

    private String[] trainArgs(Path modelPath, String estimator) {
        return new String[] {
            "train",
            "--estimator",
            estimator,
            "--train",
            train.toString(),
            "--model",
            modelPath.toString(),
            "--preset",
            "small",
            "--epochs",
            "1",
            "--quiet"
        };
    }

    private static String[] evaluateArgs(Path modelPath, Path data) {
        return new String[] {
            "evaluate", "--model", modelPath.toString(), "--data", data.toString()
        };
    }

    private static Path write(Path p, String text) throws IOException {
        return Files.writeString(p, text);
    }

    private static void edit(Path p, String from, String to) throws IOException {
        String s = Files.readString(p);
        assertThat(s).contains(from);
        Files.writeString(p, s.replaceFirst(java.util.regex.Pattern.quote(from), to));
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }

    /** Every path under {@code root} with a digest of its content ("dir" for folders). */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(p.toString(), Files.isDirectory(p) ? "dir" : digest(p));
            }
        }
        return m;
    }

    private static String digest(Path p) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
