package org.causalcvr.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.DataException;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.convert.AliCcpProcessed;
import org.causalcvr.data.arrow.convert.AliCcpRawConverter;
import org.causalcvr.data.arrow.convert.CoatConverter;
import org.causalcvr.data.arrow.convert.ConversionReport;
import org.causalcvr.data.arrow.convert.CsvConverter;
import org.causalcvr.data.arrow.convert.CsvMapping;
import org.causalcvr.data.arrow.convert.KuaiRandConverter;
import org.causalcvr.data.arrow.convert.YahooR3Converter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr convert}: real data to the exposure-log Arrow schema, reporting what was dropped. */
@Command(
        name = "convert",
        mixinStandardHelpOptions = true,
        description =
                "Convert real data to the exposure-log Arrow schema; every converter streams and reports what it dropped and why.",
        subcommands = {
            ConvertCommand.Coat.class,
            ConvertCommand.AliCcp.class,
            ConvertCommand.AliCcpProcessedCsv.class,
            ConvertCommand.Csv.class,
            ConvertCommand.YahooR3.class,
            ConvertCommand.KuaiRand.class,
            ConvertParquet.class
        })
final class ConvertCommand implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static void print(
            picocli.CommandLine.Model.CommandSpec spec,
            List<ConversionReport> reports,
            boolean json) {
        var out = spec.commandLine().getOut();
        if (json) {
            var list = new ArrayList<Map<String, Object>>();
            for (ConversionReport r : reports) {
                var m = new LinkedHashMap<String, Object>();
                m.put("input", r.input());
                m.put("output", r.output().toString());
                m.put("rowsRead", r.rowsRead());
                m.put("rowsWritten", r.rowsWritten());
                m.put("dropped", r.dropped());
                m.put("notes", r.notes());
                list.add(m);
            }
            out.println(Json.write(list));
        } else {
            reports.forEach(r -> out.println(r.summary()));
        }
    }

    /**
     * The system property naming the installation folder; the {@code cvr} launcher sets it to its
     * own folder.
     */
    static final String HOME_PROPERTY = "cvr.home";

    /**
     * The Coat folder shipped with the installation: {@code ${cvr.home}/data/coat}. Never looked up
     * from the working directory (a {@code data/coat} planted in a parent folder would be used
     * silently); without an installation folder the user names one with {@code --coat DIR}.
     */
    static Path defaultCoat() {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || home.isBlank()) {
            throw new DataException(
                    "no Coat folder: pass --coat DIR (the default, data/coat of the installation,"
                            + " is known only when run through the cvr launcher)");
        }
        Path coat = Path.of(home).toAbsolutePath().normalize().resolve("data").resolve("coat");
        if (!Files.isRegularFile(coat.resolve("train.ascii"))) {
            throw new DataException(
                    coat + ": the installation's Coat folder has no train.ascii; pass --coat DIR");
        }
        return coat;
    }

    @Command(
            name = "coat",
            mixinStandardHelpOptions = true,
            description =
                    "Coat (Schnabel et al. 2016): every user-item pair an exposure, click = rated in the self-selected set, conversion = rating >= threshold.")
    static final class Coat implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--coat",
                paramLabel = "DIR",
                description = "The Coat folder (default: data/coat of the installation).")
        Path coat;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "Output folder for train/test (and valid) Arrow files.")
        Path out;

        @Option(
                names = "--protocol",
                defaultValue = "mnar-train-mcar-test",
                description = "mnar-train-mcar-test or 5-5-90 (default: ${DEFAULT-VALUE}).")
        String protocol;

        @Option(
                names = "--threshold",
                defaultValue = "4",
                description =
                        "A rating >= threshold is a conversion (default: ${DEFAULT-VALUE}; the literature uses 3 and 4).")
        int threshold;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description =
                        "Split seed of 5-5-90 and of --validation-share (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--validation-share",
                defaultValue = "0",
                paramLabel = "SHARE",
                description =
                        "mnar-train-mcar-test: hold out this share of the self-selected ratings as validation.arrow, left out of train.arrow (default: ${DEFAULT-VALUE}, none; at most 0.5).")
        double validationShare;

        @Option(
                names = "--propensity",
                defaultValue = "none",
                description =
                        "none, naive-bayes or naive-bayes-rating: also write the column 'propensity', p(o=1|y) = P(y|o=1) P(o=1) / P(y) with P(y) from the 5%% of the random set appended to training (naive-bayes-rating: over the rating levels k = 1..5 instead of the binary label, add-one smoothed); needs --protocol 5-5-90; read with --set propensity=column; default: ${DEFAULT-VALUE}).")
        String propensity;

        @Mixin FoldOption fold;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            checkThreshold(threshold);
            try (Allocators memory = Allocators.create()) {
                var result =
                        convertCoat(
                                coat == null ? defaultCoat() : coat,
                                out,
                                protocol,
                                threshold,
                                seed,
                                validationShare,
                                propensity,
                                fold.fold,
                                memory);
                print(spec, result.reports(), json);
            }
            return 0;
        }
    }

    static void checkThreshold(int threshold) {
        if (threshold < 1 || threshold > 5) {
            throw new ConfigException(
                    "Option --threshold = " + threshold + " is out of range: allowed [1, 5]");
        }
    }

    /** Converts Coat by the options of {@code cvr convert coat}, each checked with its name. */
    static CoatConverter.Result convertCoat(
            Path coat,
            Path out,
            String protocol,
            int threshold,
            long seed,
            double validationShare,
            String propensity,
            int fold,
            Allocators memory) {
        checkThreshold(threshold);
        var options =
                new CoatConverter.Options(
                        threshold,
                        CoatConverter.Protocol.of(protocol),
                        seed,
                        validationShare,
                        propensityEstimate(propensity, protocol),
                        checkFold(fold, protocol));
        return CoatConverter.convert(coat, out, options, memory.root());
    }

    /** The {@code --fold} option of the converters of data sets with a random set. */
    static final class FoldOption {
        @Option(
                names = "--fold",
                defaultValue = "1",
                paramLabel = "1|2",
                description =
                        "5-5-90 only: 2 swaps its two 5%% slices of the random set (the one fold 1 validates on is appended to training, the other validates; the 90%% test slice is the same), so that a tuning can score the mean of both folds (cvr tune with --train and --valid twice) (default: ${DEFAULT-VALUE}).")
        int fold;
    }

    /** The {@code --fold} option, checked against {@code --protocol}. */
    static int checkFold(int fold, String protocol) {
        if (fold != 1 && fold != 2) {
            throw new ConfigException("Option --fold = " + fold + " is out of range: allowed 1, 2");
        }
        if (fold == 2
                && CoatConverter.Protocol.of(protocol) != CoatConverter.Protocol.FIVE_FIVE_NINETY) {
            throw new ConfigException(
                    "Option --fold 2 swaps the two 5% slices of --protocol 5-5-90; --protocol "
                            + protocol
                            + " has none");
        }
        return fold;
    }

    /** The {@code --propensity} option, checked against {@code --protocol}. */
    static CoatConverter.PropensityEstimate propensityEstimate(String name, String protocol) {
        var estimate = CoatConverter.PropensityEstimate.of(name);
        if (estimate != CoatConverter.PropensityEstimate.NONE
                && CoatConverter.Protocol.of(protocol) != CoatConverter.Protocol.FIVE_FIVE_NINETY) {
            throw new ConfigException(
                    "Option --propensity "
                            + estimate.id()
                            + " takes P(y) from the 5% of the random set that"
                            + " --protocol 5-5-90 appends to training; --protocol "
                            + protocol
                            + " has none");
        }
        return estimate;
    }

    @Command(
            name = "ali-ccp",
            mixinStandardHelpOptions = true,
            description =
                    "Raw Ali-CCP: sample_skeleton joined with common_features on the common-feature index; click=0 & buy=1 rows dropped and counted.")
    static final class AliCcp implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--skeleton",
                required = true,
                paramLabel = "FILE",
                description = "sample_skeleton_*.csv")
        List<Path> skeletons;

        @Option(
                names = "--common",
                required = true,
                paramLabel = "FILE",
                description = "common_features_*.csv, one per skeleton, in order")
        List<Path> commons;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "FILE",
                description = "Arrow file per skeleton, in order")
        List<Path> outs;

        @Option(
                names = "--min-count",
                defaultValue = "10",
                description =
                        "Vocabulary: ids seen fewer times become the out-of-vocabulary id (default: ${DEFAULT-VALUE}).")
        int minCount;

        @Option(
                names = "--hash-buckets",
                paramLabel = "N",
                description = "Hash ids into N buckets per field instead of a vocabulary.")
        Integer hashBuckets;

        @Option(
                names = "--multi-valued",
                defaultValue = "all-with-weights",
                description =
                        "Policy for the _14 history fields: all-with-weights, first-k or last (default: ${DEFAULT-VALUE}).")
        String multiValued;

        @Option(
                names = "--k",
                defaultValue = "5",
                description = "k of first-k (default: ${DEFAULT-VALUE}).")
        int k;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            if (skeletons.size() != commons.size() || skeletons.size() != outs.size()) {
                throw new ConfigException(
                        "Options --skeleton, --common and --out must be given the same number of times ("
                                + skeletons.size()
                                + ", "
                                + commons.size()
                                + ", "
                                + outs.size()
                                + ")");
            }
            var options = AliCcpRawConverter.Options.defaults(minCount);
            var policy =
                    AliCcpRawConverter.MultiValuedPolicy.valueOf(
                            multiValued.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            options = options.withPolicy(policy, k);
            if (hashBuckets != null) {
                options = options.withEncoding(AliCcpRawConverter.Encoding.hashing(hashBuckets));
            }
            var splits = new ArrayList<AliCcpRawConverter.Split>();
            for (int i = 0; i < skeletons.size(); i++) {
                splits.add(
                        new AliCcpRawConverter.Split(
                                skeletons.get(i), commons.get(i), outs.get(i)));
            }
            try (Allocators memory = Allocators.create()) {
                print(spec, AliCcpRawConverter.convert(splits, options, memory.root()), json);
            }
            return 0;
        }
    }

    @Command(
            name = "ali-ccp-processed",
            mixinStandardHelpOptions = true,
            description =
                    "The processed Ali-CCP CSV (click, purchase, 23 fields, 8 dense values), as in data/ali-ccp-sample.")
    static final class AliCcpProcessedCsv implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--in",
                required = true,
                paramLabel = "FILE",
                description =
                        "Input CSV files (the first one sets the cardinalities with the others).")
        List<Path> inputs;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "FILE",
                description = "Arrow file per input, in order.")
        List<Path> outputs;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            if (inputs.size() != outputs.size()) {
                throw new ConfigException(
                        "Options --in and --out must be given the same number of times");
            }
            try (Allocators memory = Allocators.create()) {
                print(
                        spec,
                        AliCcpProcessed.convert(inputs, outputs, Map.of(), memory.root()),
                        json);
            }
            return 0;
        }
    }

    @Command(
            name = "csv",
            mixinStandardHelpOptions = true,
            description =
                    "Generic CSV with a header, mapped column by column: --feature COLUMN:ROLE:CARDINALITY (roles user, item, context, cross).")
    static final class Csv implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--in", required = true, paramLabel = "FILE")
        Path input;

        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path output;

        @Option(names = "--click", required = true, paramLabel = "COLUMN")
        String click;

        @Option(names = "--conversion", required = true, paramLabel = "COLUMN")
        String conversion;

        @Option(names = "--feature", required = true, paramLabel = "COLUMN:ROLE:CARDINALITY")
        List<String> features;

        @Option(names = "--group", paramLabel = "COLUMN")
        String group;

        @Option(names = "--delimiter", defaultValue = ",")
        char delimiter;

        @Option(
                names = "--conversion-without-click",
                defaultValue = "fail",
                description = "fail or drop (default: ${DEFAULT-VALUE}).")
        String conversionWithoutClick;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            var mapped = new ArrayList<CsvMapping.Feature>();
            for (String f : features) {
                String[] parts = f.split(":");
                if (parts.length != 3) {
                    throw new ConfigException(
                            "Option --feature '" + f + "' is not COLUMN:ROLE:CARDINALITY");
                }
                FieldRole role;
                try {
                    role = FieldRole.valueOf(parts[1].trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                            "Option --feature '"
                                    + f
                                    + "': role '"
                                    + parts[1]
                                    + "' is not one of user, item, context, cross");
                }
                long cardinality;
                try {
                    cardinality = Long.parseLong(parts[2].trim());
                } catch (NumberFormatException e) {
                    throw new ConfigException(
                            "Option --feature '"
                                    + f
                                    + "': cardinality '"
                                    + parts[2]
                                    + "' is not an integer");
                }
                mapped.add(CsvMapping.Feature.single(parts[0].trim(), role, cardinality));
            }
            CsvMapping mapping = CsvMapping.of(click, conversion, mapped).withDelimiter(delimiter);
            if (group != null) {
                mapping = mapping.withGroup(group);
            }
            mapping =
                    mapping.withPolicy(
                            switch (conversionWithoutClick.toLowerCase(Locale.ROOT)) {
                                case "fail" -> ConversionPolicy.FAIL;
                                case "drop" -> ConversionPolicy.DROP_AND_COUNT;
                                default ->
                                        throw new ConfigException(
                                                "Option --conversion-without-click = '"
                                                        + conversionWithoutClick
                                                        + "' is not one of {fail, drop}");
                            });
            try (Allocators memory = Allocators.create()) {
                print(
                        spec,
                        CsvConverter.convert(
                                mapping, List.of(input), List.of(output), memory.root()),
                        json);
            }
            return 0;
        }
    }

    @Command(
            name = "yahoo-r3",
            mixinStandardHelpOptions = true,
            description =
                    "Yahoo! R3 (Webscope ydata-ymusic-rating-study-v1-u, not carried here): every user-song pair an exposure, click = rated in the self-selected train file, conversion = rating >= threshold; the random test file is the test set (protocols as for Coat).")
    static final class YahooR3 implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--in",
                required = true,
                paramLabel = "DIR",
                description =
                        "The folder holding ydata-ymusic-rating-study-v1-u-train.txt and ...-test.txt.")
        Path in;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "Output folder for train/test (and validation) Arrow files.")
        Path out;

        @Option(
                names = "--protocol",
                defaultValue = "mnar-train-mcar-test",
                description = "mnar-train-mcar-test or 5-5-90 (default: ${DEFAULT-VALUE}).")
        String protocol;

        @Option(
                names = "--threshold",
                defaultValue = "4",
                description = "A rating >= threshold is a conversion (default: ${DEFAULT-VALUE}).")
        int threshold;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "Split seed of 5-5-90 (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(
                names = "--propensity",
                defaultValue = "none",
                description =
                        "none, naive-bayes or naive-bayes-rating: also write the column 'propensity', p(o=1|y) = P(y|o=1) P(o=1) / P(y) with P(y) from the 5%% of the random set appended to training (naive-bayes-rating: over the rating levels k = 1..5 instead of the binary label, add-one smoothed); needs --protocol 5-5-90; read with --set propensity=column; default: ${DEFAULT-VALUE}).")
        String propensity;

        @Mixin FoldOption fold;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            checkThreshold(threshold);
            var options =
                    new CoatConverter.Options(
                            threshold,
                            CoatConverter.Protocol.of(protocol),
                            seed,
                            0.0,
                            propensityEstimate(propensity, protocol),
                            checkFold(fold.fold, protocol));
            try (Allocators memory = Allocators.create()) {
                print(spec, YahooR3Converter.convert(in, out, options, memory).reports(), json);
            }
            return 0;
        }
    }

    @Command(
            name = "kuairand",
            mixinStandardHelpOptions = true,
            description =
                    "KuaiRand (Pure, 1K or 27K; not carried here): every log row an exposure, click = is_click, conversion = click and --conversion; the standard logs train, the random-exposure log is the test set (protocols as for Coat).")
    static final class KuaiRand implements Callable<Integer> {
        @Spec picocli.CommandLine.Model.CommandSpec spec;

        @Option(
                names = "--standard",
                required = true,
                paramLabel = "FILE",
                description = "A standard log, log_standard_*.csv (repeatable, in order).")
        List<Path> standard;

        @Option(
                names = "--random",
                required = true,
                paramLabel = "FILE",
                description = "The random-exposure log, log_random_*.csv.")
        Path random;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "DIR",
                description = "Output folder for train/test (and validation) Arrow files.")
        Path out;

        @Option(
                names = "--conversion",
                defaultValue = "is_like",
                description =
                        "The post-click signal that is a conversion: is_like, long_view, is_follow, is_comment, is_forward or is_profile_enter (default: ${DEFAULT-VALUE}).")
        String conversion;

        @Option(
                names = "--protocol",
                defaultValue = "mnar-train-mcar-test",
                description = "mnar-train-mcar-test or 5-5-90 (default: ${DEFAULT-VALUE}).")
        String protocol;

        @Option(
                names = "--seed",
                defaultValue = "1",
                description = "Split seed of 5-5-90 (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            var options =
                    new KuaiRandConverter.Options(
                            conversion, CoatConverter.Protocol.of(protocol), seed);
            try (Allocators memory = Allocators.create()) {
                print(
                        spec,
                        KuaiRandConverter.convert(standard, random, out, options, memory).reports(),
                        json);
            }
            return 0;
        }
    }
}
