package org.causalcvr.data.arrow.convert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;

/**
 * Converts the Coat data set (Schnabel et al. 2016; a folder with {@code train.ascii}, {@code
 * test.ascii} and {@code user_item_features/}) to exposure logs.
 *
 * <p>Training exposures are all user-item pairs, row-major (user, then item): a click is "rated in
 * the self-selected (MNAR) set", a conversion is "that rating ≥ threshold". Test rows are the
 * ratings of the missing-at-random set, each with click 1 and conversion "rating ≥ threshold" (see
 * {@link RatingStudy}, which {@link YahooR3Converter} shares). The threshold is explicit (the
 * literature uses both 3 and 4). Features: {@code user}, {@code item}, and one field per one-hot
 * group of the feature files ({@code user_gender}, {@code user_age}, {@code user_location}, {@code
 * user_fashioninterest}, {@code item_gender}, {@code item_jackettype}, {@code item_color}, {@code
 * item_onfrontpage}); the group is the user.
 *
 * <p>Protocols: {@link Protocol#MNAR_TRAIN_MCAR_TEST} writes {@code train.arrow} and {@code
 * test.arrow} (all of the random set). {@link Protocol#FIVE_FIVE_NINETY} shuffles the random set's
 * ratings with the seed: 5% are appended to {@code train.arrow} (click 1), 5% form {@code
 * validation.arrow}, 90% {@code test.arrow}. Cells rated in both sets (366 in Coat) stay in both.
 * With {@link PropensityEstimate#NAIVE_BAYES} every file also gets the column {@code propensity}
 * ({@link NaiveBayesPropensity}, P(y) from that appended 5%), and its metadata records how; with
 * {@link PropensityEstimate#NAIVE_BAYES_RATING} the column is {@link RatingNaiveBayesPropensity},
 * p(o=1 | rating level) with P(k) from the same 5%.
 *
 * <p>{@link Protocol#MNAR_TRAIN_MCAR_TEST} with a validation share s &gt; 0 holds out a seeded
 * share s of the self-selected ratings as {@code validation.arrow} (click 1, conversion = rating ≥
 * threshold) and leaves those cells out of {@code train.arrow} altogether (they are neither rated
 * nor unrated there). Since the whole random set is the test set under this protocol, a validation
 * set that never sees the test set must come from the training side; it is as biased as the
 * training ratings (users rate what they chose), which is itself informative: an estimator that
 * wins on it wins on the self-selected distribution.
 */
public final class CoatConverter {
    /** How the random (MCAR) ratings are used. */
    public enum Protocol {
        /** Train on the MNAR exposures, test on the whole random set. */
        MNAR_TRAIN_MCAR_TEST("mnar-train-mcar-test"),
        /** 5% of the random set added to training, 5% validation, 90% test. */
        FIVE_FIVE_NINETY("5-5-90");

        private final String id;

        Protocol(String id) {
            this.id = id;
        }

        /** The protocol's name on the command line. */
        public String id() {
            return id;
        }

        /** The protocol called {@code name}, or an error listing both. */
        public static Protocol of(String name) {
            for (Protocol p : values()) {
                if (p.id.equals(name)) {
                    return p;
                }
            }
            throw new org.causalcvr.api.UnknownNameException(
                    "Coat protocol", name, List.of("mnar-train-mcar-test", "5-5-90"));
        }
    }

    /** Which estimated propensity column ({@code propensity}) the files get. */
    public enum PropensityEstimate {
        /** No propensity column. */
        NONE("none"),
        /**
         * {@link NaiveBayesPropensity}, P(y) from the 5% of the random set that {@link
         * Protocol#FIVE_FIVE_NINETY} appends to training (so {@code 5-5-90} only).
         */
        NAIVE_BAYES(NaiveBayesPropensity.METHOD),
        /**
         * {@link RatingNaiveBayesPropensity}, p(o=1 | rating level), P(k) from the same 5% of the
         * random set (so {@code 5-5-90} only).
         */
        NAIVE_BAYES_RATING(RatingNaiveBayesPropensity.METHOD);

        private final String id;

        PropensityEstimate(String id) {
            this.id = id;
        }

        /** The name on the command line. */
        public String id() {
            return id;
        }

        /** The estimate called {@code name}, or an error listing the known ones. */
        public static PropensityEstimate of(String name) {
            for (PropensityEstimate p : values()) {
                if (p.id.equals(name)) {
                    return p;
                }
            }
            throw new org.causalcvr.api.UnknownNameException(
                    "propensity estimate",
                    name,
                    List.of(
                            "none",
                            NaiveBayesPropensity.METHOD,
                            RatingNaiveBayesPropensity.METHOD));
        }
    }

    /**
     * @param threshold a rating ≥ threshold is a conversion; in [1, 5]
     * @param protocol how the random set is split
     * @param seed the shuffle of {@link Protocol#FIVE_FIVE_NINETY} and of the validation share
     * @param validationShare share of the self-selected ratings held out as validation under {@link
     *     Protocol#MNAR_TRAIN_MCAR_TEST}, in [0, 0.5] (0: no validation set)
     * @param propensity the estimated propensity column to write ({@link
     *     PropensityEstimate#NAIVE_BAYES} and {@link PropensityEstimate#NAIVE_BAYES_RATING} need
     *     {@link Protocol#FIVE_FIVE_NINETY})
     * @param fold 1, or 2 for {@link Protocol#FIVE_FIVE_NINETY} with its two 5% slices swapped (the
     *     one fold 1 validates on trains, the other validates; the test slice is the same)
     */
    public record Options(
            int threshold,
            Protocol protocol,
            long seed,
            double validationShare,
            PropensityEstimate propensity,
            int fold) {
        /** Fold 1. */
        public Options(
                int threshold,
                Protocol protocol,
                long seed,
                double validationShare,
                PropensityEstimate propensity) {
            this(threshold, protocol, seed, validationShare, propensity, 1);
        }

        /** No validation share. */
        public Options(int threshold, Protocol protocol, long seed) {
            this(threshold, protocol, seed, 0.0);
        }

        /** No propensity column. */
        public Options(int threshold, Protocol protocol, long seed, double validationShare) {
            this(threshold, protocol, seed, validationShare, PropensityEstimate.NONE);
        }

        public Options {
            if (propensity == null) {
                throw new IllegalArgumentException("A propensity estimate is required (none)");
            }
            if (propensity != PropensityEstimate.NONE && protocol != Protocol.FIVE_FIVE_NINETY) {
                throw new IllegalArgumentException(
                        "The "
                                + propensity.id()
                                + " propensity takes P(y) from the 5% of the random set that"
                                + " protocol 5-5-90 appends to training; use --protocol 5-5-90");
            }
            if (!(validationShare >= 0 && validationShare <= 0.5)) {
                throw new IllegalArgumentException(
                        "validation share = " + validationShare + " is outside [0, 0.5]");
            }
            if (validationShare > 0 && protocol == Protocol.FIVE_FIVE_NINETY) {
                throw new IllegalArgumentException(
                        "A validation share applies to protocol mnar-train-mcar-test; 5-5-90 has"
                                + " its own validation set");
            }
            if (fold != 1 && (fold != 2 || protocol != Protocol.FIVE_FIVE_NINETY)) {
                throw new IllegalArgumentException(
                        "fold = "
                                + fold
                                + ": fold 2 swaps the two 5% slices of protocol 5-5-90, and no"
                                + " other fold exists");
            }
            if (threshold < 1 || threshold > 5) {
                throw new IllegalArgumentException(
                        "threshold = " + threshold + " is outside [1, 5] (Coat ratings run 1-5)");
            }
            if (protocol == null) {
                throw new IllegalArgumentException("A Coat protocol is required");
            }
        }
    }

    /**
     * The files written.
     *
     * @param train training exposures
     * @param validation the validation set ({@link Protocol#FIVE_FIVE_NINETY}, or a validation
     *     share of {@link Protocol#MNAR_TRAIN_MCAR_TEST})
     * @param test the test set
     * @param reports one per file written
     */
    public record Result(
            Path train, Optional<Path> validation, Path test, List<ConversionReport> reports) {}

    private CoatConverter() {}

    /** {@link #convert(Path, Path, Options, BufferAllocator)} under the program's allocators. */
    public static Result convert(Path coat, Path outputDir, Options options, Allocators memory) {
        return convert(coat, outputDir, options, memory.root());
    }

    /** Converts the Coat folder {@code coat} into {@code outputDir}. */
    public static Result convert(
            Path coat, Path outputDir, Options options, BufferAllocator allocator) {
        int[][] train = matrix(coat.resolve("train.ascii"));
        int[][] test = matrix(coat.resolve("test.ascii"));
        if (train.length != test.length || train[0].length != test[0].length) {
            throw DataException.inFile(
                    coat.resolve("test.ascii"),
                    test.length
                            + "x"
                            + test[0].length
                            + " ratings, train.ascii has "
                            + train.length
                            + "x"
                            + train[0].length);
        }
        int users = train.length;
        int items = train[0].length;
        Path feat = coat.resolve("user_item_features");
        OneHot userFeatures =
                oneHot(
                        feat.resolve("user_features.ascii"),
                        feat.resolve("user_features_map.txt"),
                        users);
        OneHot itemFeatures =
                oneHot(
                        feat.resolve("item_features.ascii"),
                        feat.resolve("item_features_map.txt"),
                        items);

        List<FeatureField> userFields = new ArrayList<>();
        userFeatures.groups.forEach(
                (g, size) ->
                        userFields.add(FeatureField.single("user_" + g, FieldRole.USER, size)));
        List<FeatureField> itemFields = new ArrayList<>();
        itemFeatures.groups.forEach(
                (g, size) ->
                        itemFields.add(FeatureField.single("item_" + g, FieldRole.ITEM, size)));

        // random-set ratings, row-major
        List<int[]> random = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (test[u][i] > 0) {
                    random.add(new int[] {u, i, test[u][i]});
                }
            }
        }
        return new RatingStudy(
                        users,
                        items,
                        (u, i) -> train[u][i],
                        random,
                        userFields,
                        userFeatures.ids,
                        itemFields,
                        itemFeatures.ids,
                        coat.resolve("train.ascii"),
                        coat.resolve("test.ascii"))
                .write(outputDir, options, allocator);
    }

    /** A dense matrix of ratings 0..5, one line per user. */
    static int[][] matrix(Path file) {
        List<int[]> rows = new ArrayList<>();
        try (TextInput in = TextInput.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] t = line.trim().split("\\s+");
                if (!rows.isEmpty() && t.length != rows.get(0).length) {
                    throw in.error(
                            "item " + Math.min(t.length, rows.get(0).length),
                            t.length + " ratings, the first line has " + rows.get(0).length);
                }
                int[] r = new int[t.length];
                for (int i = 0; i < t.length; i++) {
                    r[i] = in.parseInt(t[i], "item " + i);
                    if (r[i] < 0 || r[i] > 5) {
                        throw in.error("item " + i, "rating " + r[i] + " is outside 0..5");
                    }
                }
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            throw DataException.inFile(file, "empty file (no ratings)");
        }
        return rows.toArray(new int[0][]);
    }

    /** One-hot groups: for each row the index of its 1 within each group. */
    record OneHot(Map<String, Integer> groups, int[][] ids) {}

    static OneHot oneHot(Path values, Path map, int expectedRows) {
        List<String> names;
        try {
            names =
                    Files.readAllLines(map).stream()
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .toList();
        } catch (java.nio.file.NoSuchFileException e) {
            throw DataException.inFile(map, "no such file");
        } catch (java.io.IOException e) {
            throw DataException.inFile(map, "cannot read (" + e.getMessage() + ")");
        }
        Map<String, Integer> groups = new LinkedHashMap<>();
        int[] groupOf = new int[names.size()];
        int[] indexInGroup = new int[names.size()];
        List<String> order = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            String n = names.get(c);
            int colon = n.indexOf(':');
            if (colon <= 0) {
                throw DataException.inFile(
                        map, "line " + (c + 1) + ": '" + n + "' is not group:value");
            }
            String g = n.substring(0, colon);
            Integer size = groups.get(g);
            if (size == null) {
                order.add(g);
                size = 0;
            }
            groupOf[c] = order.indexOf(g);
            indexInGroup[c] = size;
            groups.put(g, size + 1);
        }
        List<int[]> rows = new ArrayList<>();
        try (TextInput in = TextInput.open(values)) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] t = line.trim().split("\\s+");
                if (t.length != names.size()) {
                    throw in.error(
                            "feature",
                            t.length + " values, " + map.getFileName() + " names " + names.size());
                }
                int[] ids = new int[groups.size()];
                int[] ones = new int[groups.size()];
                for (int c = 0; c < t.length; c++) {
                    int v = in.parseInt(t[c], names.get(c));
                    if (v != 0 && v != 1) {
                        throw in.error(names.get(c), "value " + v + " is not 0 or 1");
                    }
                    if (v == 1) {
                        ids[groupOf[c]] = indexInGroup[c];
                        ones[groupOf[c]]++;
                    }
                }
                for (int g = 0; g < ones.length; g++) {
                    if (ones[g] != 1) {
                        throw in.error(
                                order.get(g), "one-hot group has " + ones[g] + " ones, expected 1");
                    }
                }
                rows.add(ids);
            }
        }
        if (rows.size() != expectedRows) {
            throw DataException.inFile(
                    values, rows.size() + " rows, the ratings have " + expectedRows);
        }
        return new OneHot(groups, rows.toArray(new int[0][]));
    }
}
