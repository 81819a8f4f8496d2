package org.causalcvr.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.CvrException;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.convert.AliCcpRawConverter;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.MetricValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The {@code spark-submit} entry point: {@code prepare} (raw Ali-CCP, or any table Spark reads),
 * {@code predict} / {@code score}, {@code evaluate}, {@code train} (data-parallel, {@link
 * DataParallelTraining}) and {@code bench-train} (its measurements), with the option names of the
 * {@code cvr} tool where they apply. Errors are one line on stderr with exit code 1 (2 for a bad
 * command line); an existing output is refused unless {@code --overwrite}, and outputs appear
 * atomically.
 */
@Command(
        name = "cvr-spark",
        mixinStandardHelpOptions = true,
        description = "Prepare, score, evaluate and train on exposure logs on Apache Spark.",
        subcommands = {
            CvrSparkMain.PrepareAliCcp.class,
            CvrSparkMain.PrepareTable.class,
            CvrSparkMain.Predict.class,
            CvrSparkMain.Evaluate.class,
            TrainCommand.class,
            TrainBench.class
        })
public final class CvrSparkMain {
    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master when not run by spark-submit (for example local[2]).")
    String master;

    private SparkSession session;
    PrintWriter out;

    private CvrSparkMain() {}

    SparkSession spark() {
        if (session == null) {
            SparkSession.Builder b = SparkSession.builder().appName("cvr-spark");
            if (master != null) {
                b = b.master(master);
            }
            session = b.getOrCreate();
        }
        return session;
    }

    /** Runs {@code args} under spark-submit and exits with its code. */
    public static void main(String[] args) {
        CvrSparkMain main = new CvrSparkMain();
        int code;
        try {
            code =
                    run(
                            main,
                            args,
                            new PrintWriter(System.out, true),
                            new PrintWriter(System.err, true));
        } finally {
            if (main.session != null) {
                main.session.stop();
            }
        }
        System.exit(code);
    }

    /** Runs {@code args} on {@code spark} (tests, or a caller holding a session). */
    public static int run(SparkSession spark, String[] args, PrintWriter out, PrintWriter err) {
        CvrSparkMain main = new CvrSparkMain();
        main.session = spark;
        return run(main, args, out, err);
    }

    private static int run(CvrSparkMain main, String[] args, PrintWriter out, PrintWriter err) {
        main.out = out;
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(
                (e, line, parsed) -> {
                    if (e instanceof CvrException) {
                        err.println("cvr-spark: " + e.getMessage());
                        return 1;
                    }
                    throw e;
                });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Options of every prepare command. */
    static class OutputOptions {
        @Option(
                names = "--format",
                defaultValue = "parquet",
                description = "Shards: parquet or arrow (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--overwrite", description = "Replace an existing output.")
        boolean overwrite;
    }

    @Command(
            name = "prepare-ali-ccp",
            aliases = "prepare",
            mixinStandardHelpOptions = true,
            description =
                    "Convert the raw Ali-CCP files (sample skeleton joined with common features) to exposure-log folders, as 'cvr convert ali-ccp' does on one machine.")
    static final class PrepareAliCcp implements Callable<Integer> {
        @ParentCommand CvrSparkMain main;

        @Option(
                names = "--skeleton",
                required = true,
                paramLabel = "PATH",
                description = "sample_skeleton_*.csv (repeatable)")
        List<String> skeletons;

        @Option(
                names = "--common",
                required = true,
                paramLabel = "PATH",
                description = "common_features_*.csv, one per skeleton, in order")
        List<String> commons;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "Output folder per skeleton, in order")
        List<String> outs;

        @Option(
                names = "--min-count",
                defaultValue = "10",
                description =
                        "Vocabulary minimum count, counted on the first split (default: ${DEFAULT-VALUE}).")
        int minCount;

        @Option(
                names = "--hash-buckets",
                paramLabel = "N",
                description = "Hash ids into N buckets per field instead of a vocabulary.")
        Integer hashBuckets;

        @Option(
                names = "--multi-valued",
                defaultValue = "all-with-weights",
                description = "all-with-weights, first-k or last (default: ${DEFAULT-VALUE}).")
        String multiValued;

        @Option(
                names = "--k",
                defaultValue = "5",
                description = "k of first-k (default: ${DEFAULT-VALUE}).")
        int k;

        @CommandLine.Mixin OutputOptions output = new OutputOptions();

        @Override
        public Integer call() {
            if (skeletons.size() != commons.size() || skeletons.size() != outs.size()) {
                throw new CvrException(
                        "Give one --common and one --out per --skeleton (got "
                                + skeletons.size()
                                + ", "
                                + commons.size()
                                + " and "
                                + outs.size()
                                + ")");
            }
            ShardFormat format = ShardFormat.parse(output.format);
            var policy =
                    switch (multiValued.toLowerCase(Locale.ROOT)) {
                        case "all-with-weights" ->
                                AliCcpRawConverter.MultiValuedPolicy.ALL_WITH_WEIGHTS;
                        case "first-k" -> AliCcpRawConverter.MultiValuedPolicy.FIRST_K;
                        case "last" -> AliCcpRawConverter.MultiValuedPolicy.LAST;
                        default ->
                                throw new CvrException(
                                        "--multi-valued '"
                                                + multiValued
                                                + "': use all-with-weights, first-k or last");
                    };
            var options =
                    AliCcpRawConverter.Options.defaults(Math.max(1, minCount))
                            .withPolicy(policy, k);
            if (hashBuckets != null) {
                options = options.withEncoding(AliCcpRawConverter.Encoding.hashing(hashBuckets));
            }
            SparkSession spark = main.spark();
            // refuse an existing output before any work
            for (String o : outs) {
                try {
                    AtomicOutput.target(
                            new org.apache.hadoop.fs.Path(o)
                                    .getFileSystem(spark.sparkContext().hadoopConfiguration()),
                            o,
                            output.overwrite);
                } catch (java.io.IOException e) {
                    throw new CvrException(o + ": cannot access (" + e.getMessage() + ")");
                }
            }
            List<AliCcpSpark.Split> splits = new ArrayList<>();
            for (int i = 0; i < skeletons.size(); i++) {
                splits.add(new AliCcpSpark.Split(skeletons.get(i), commons.get(i)));
            }
            List<AliCcpSpark.Converted> converted = AliCcpSpark.convert(spark, splits, options);
            for (int i = 0; i < converted.size(); i++) {
                var c = converted.get(i);
                var w = ShardWriter.write(c.log(), outs.get(i), format, output.overwrite);
                main.out.printf(
                        "%s: %,d rows read, %,d written in %d %s shards, dropped %s%n",
                        w.path(), c.rowsRead(), w.rows(), w.shards(), format, c.dropped());
            }
            if (!converted.get(0).log().schema().features().fields().isEmpty()
                    && converted.get(0).vocabularySizes().length > 0) {
                main.out.println(
                        "vocabulary sizes (without OOV id 0) "
                                + java.util.Arrays.toString(converted.get(0).vocabularySizes()));
            }
            return 0;
        }
    }

    @Command(
            name = "prepare-table",
            mixinStandardHelpOptions = true,
            description =
                    "Turn any table Spark reads (parquet, orc, csv, json; or a Hive table) into an exposure-log folder, with vocabularies counted by Spark or hashing, as 'cvr convert csv' does on one machine.")
    static final class PrepareTable implements Callable<Integer> {
        @ParentCommand CvrSparkMain main;

        @Option(
                names = "--in",
                required = true,
                paramLabel = "PATH|TABLE",
                description = "A path, or a table name with --input-format table.")
        String in;

        @Option(
                names = "--input-format",
                defaultValue = "parquet",
                description =
                        "parquet, orc, csv (with a header), json or table (default: ${DEFAULT-VALUE}).")
        String inputFormat;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        String out;

        @Option(names = "--click", required = true, paramLabel = "COLUMN")
        String click;

        @Option(names = "--conversion", required = true, paramLabel = "COLUMN")
        String conversion;

        @Option(
                names = "--feature",
                required = true,
                paramLabel = "COLUMN:ROLE",
                description =
                        "A feature column and its role (user, item, context, cross); an array column is multi-valued (repeatable).")
        List<String> features;

        @Option(names = "--group", paramLabel = "COLUMN")
        String group;

        @Option(
                names = "--min-count",
                defaultValue = "1",
                description = "Vocabulary minimum count (default: ${DEFAULT-VALUE}).")
        int minCount;

        @Option(
                names = "--hash-buckets",
                paramLabel = "N",
                description = "Hash ids into N buckets per field instead of a vocabulary.")
        Integer hashBuckets;

        @Option(
                names = "--conversion-without-click",
                defaultValue = "fail",
                description = "fail or drop (default: ${DEFAULT-VALUE}).")
        String conversionWithoutClick;

        @CommandLine.Mixin OutputOptions output = new OutputOptions();

        @Override
        public Integer call() {
            SparkSession spark = main.spark();
            try {
                AtomicOutput.target(
                        new org.apache.hadoop.fs.Path(out)
                                .getFileSystem(spark.sparkContext().hadoopConfiguration()),
                        out,
                        output.overwrite);
            } catch (java.io.IOException e) {
                throw new CvrException(out + ": cannot access (" + e.getMessage() + ")");
            }
            Dataset<Row> df =
                    switch (inputFormat.toLowerCase(Locale.ROOT)) {
                        case "table" -> spark.table(in);
                        case "csv" ->
                                spark.read()
                                        .option("header", "true")
                                        .option("inferSchema", "true")
                                        .csv(in);
                        case "parquet", "orc", "json" ->
                                spark.read().format(inputFormat.toLowerCase(Locale.ROOT)).load(in);
                        default ->
                                throw new CvrException(
                                        "--input-format '"
                                                + inputFormat
                                                + "': use parquet, orc, csv, json or table");
                    };
            var policy =
                    switch (conversionWithoutClick.toLowerCase(Locale.ROOT)) {
                        case "fail" -> ConversionPolicy.FAIL;
                        case "drop" -> ConversionPolicy.DROP_AND_COUNT;
                        default ->
                                throw new CvrException(
                                        "--conversion-without-click '"
                                                + conversionWithoutClick
                                                + "': use fail or drop");
                    };
            var spec =
                    new DataFramePreparation.Spec(
                            click,
                            conversion,
                            features.stream()
                                    .map(DataFramePreparation.FeatureColumn::parse)
                                    .toList(),
                            Optional.ofNullable(group),
                            hashBuckets == null ? Math.max(1, minCount) : 0,
                            hashBuckets == null ? 0 : hashBuckets,
                            policy);
            var prepared = DataFramePreparation.prepare(df, spec);
            var w =
                    ShardWriter.write(
                            prepared.log(),
                            out,
                            ShardFormat.parse(output.format),
                            output.overwrite);
            main.out.printf(
                    "%s: %,d rows in %d shards (%d conversions without a click dropped), schema %s%n",
                    w.path(),
                    w.rows(),
                    w.shards(),
                    prepared.conversionsWithoutClickDropped(),
                    prepared.log().schema().features().describe());
            return 0;
        }
    }

    @Command(
            name = "predict",
            aliases = "score",
            mixinStandardHelpOptions = true,
            description =
                    "Append pctr, pcvr and pctcvr to every row of an exposure log with a model saved by 'cvr train', and write the rows as Parquet (atomically).")
    static final class Predict implements Callable<Integer> {
        @ParentCommand CvrSparkMain main;

        @Option(
                names = "--model",
                required = true,
                paramLabel = "DIR",
                description = "A model saved by 'cvr train'.")
        String model;

        @Option(
                names = "--data",
                required = true,
                paramLabel = "PATH",
                description = "An exposure log: a folder of shards, or one Parquet or Arrow file.")
        String data;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "Parquet folder of the rows with their predictions.")
        String out;

        @Option(names = "--overwrite", description = "Replace an existing output.")
        boolean overwrite;

        @Override
        public Integer call() {
            SparkSession spark = main.spark();
            try {
                AtomicOutput.target(
                        new org.apache.hadoop.fs.Path(out)
                                .getFileSystem(spark.sparkContext().hadoopConfiguration()),
                        out,
                        overwrite);
            } catch (java.io.IOException e) {
                throw new CvrException(out + ": cannot access (" + e.getMessage() + ")");
            }
            ExposureLogFrame log = ExposureLogs.read(spark, data);
            Dataset<Row> scored = ModelScoring.score(log, model, "djl");
            AtomicOutput.writeParquet(scored, out, overwrite);
            main.out.printf("Wrote the predictions of %s on %s to %s%n", model, data, out);
            return 0;
        }
    }

    @Command(
            name = "evaluate",
            mixinStandardHelpOptions = true,
            description =
                    "Evaluate a saved model on an exposure log, exactly and distributed: AUC, GAUC, LogLoss, Recall@K, NDCG@K, calibration and bias, each in its named evaluation space.")
    static final class Evaluate implements Callable<Integer> {
        @ParentCommand CvrSparkMain main;

        @Option(
                names = "--model",
                required = true,
                paramLabel = "DIR",
                description = "A model saved by 'cvr train'.")
        String model;

        @Option(
                names = "--data",
                required = true,
                paramLabel = "PATH",
                description = "An exposure log: a folder of shards, or one Parquet or Arrow file.")
        String data;

        @Option(
                names = "--space",
                paramLabel = "SPACE",
                description =
                        "clicked, exposure, unclicked, ctcvr, ctr, or an exact space name (repeatable; default: every space the data allows).")
        List<String> spaces;

        @Option(
                names = "--k",
                defaultValue = "10",
                description = "K of Recall@K and NDCG@K (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(
                names = "--label-seed",
                defaultValue = "0",
                description =
                        "Seed of the labels drawn from true_cvr for unclicked rows (default: ${DEFAULT-VALUE}).")
        long labelSeed;

        @Option(
                names = "--partitions",
                defaultValue = "0",
                description =
                        "Range partitions of the sorts (default: the session's spark.sql.shuffle.partitions).")
        int partitions;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            EvaluationOptions options =
                    EvaluationOptions.defaults().withK(k).withLabelSeed(labelSeed);
            if (spaces != null && !spaces.isEmpty()) {
                List<String> selected = new ArrayList<>();
                for (String s : spaces) {
                    selected.addAll(expand(s));
                }
                options = options.withSpaces(String.join(",", selected));
            }
            SparkSession spark = main.spark();
            ExposureLogFrame log = ExposureLogs.read(spark, data);
            Dataset<Row> scored = ModelScoring.score(log, model, "djl");
            int p =
                    partitions > 0
                            ? partitions
                            : Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
            EvaluationReport report = DistributedEvaluation.evaluate(scored, options, p);
            if (json) {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("model", model);
                root.put("data", data);
                root.put("rows", report.rows());
                List<Map<String, Object>> metrics = new ArrayList<>();
                for (MetricValue v : report.values()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("space", v.space());
                    m.put("metric", v.metric());
                    m.put("value", Double.isFinite(v.value()) ? v.value() : null);
                    metrics.add(m);
                }
                root.put("metrics", metrics);
                report.predictionInaccuracy().ifPresent(x -> root.put("predictionInaccuracy", x));
                main.out.println(
                        new com.google.gson.GsonBuilder()
                                .serializeNulls()
                                .setPrettyPrinting()
                                .create()
                                .toJson(root));
            } else {
                main.out.printf("%s on %s (%d partitions)%n", model, data, p);
                main.out.print(report.toTable());
            }
            return 0;
        }

        static List<String> expand(String name) {
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "clicked" -> List.of(EvaluationSpace.CVR_CLICKED.label());
                case "exposure" ->
                        List.of(
                                EvaluationSpace.CVR_EXPOSURE.label(),
                                EvaluationSpace.CVR_EXPOSURE_TRUE.label());
                case "unclicked" ->
                        List.of(
                                EvaluationSpace.CVR_UNCLICKED.label(),
                                EvaluationSpace.CVR_UNCLICKED_TRUE.label());
                default -> List.of(EvaluationSpace.parse(name).label());
            };
        }
    }
}
