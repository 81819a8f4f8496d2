package org.causalcvr.data.arrow.convert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;

/**
 * Converts the Coat data set (Schnabel et al. 2016; a folder with {@code train.ascii}, {@code
 * test.ascii} and {@code user_item_features/}) to exposure logs.
 *
 * <p>Training exposures are all user-item pairs, row-major (user, then item): a click is "rated in
 * the self-selected (MNAR) set", a conversion is "that rating ≥ threshold". Test rows are the
 * ratings of the missing-at-random set, each with click 1 and conversion "rating ≥ threshold". The
 * threshold is explicit (the literature uses both 3 and 4). Features: {@code user}, {@code item},
 * and one field per one-hot group of the feature files ({@code user_gender}, {@code user_age},
 * {@code user_location}, {@code user_fashioninterest}, {@code item_gender}, {@code
 * item_jackettype}, {@code item_color}, {@code item_onfrontpage}); the group is the user.
 *
 * <p>Protocols: {@link Protocol#MNAR_TRAIN_MCAR_TEST} writes {@code train.arrow} and {@code
 * test.arrow} (all of the random set). {@link Protocol#FIVE_FIVE_NINETY} shuffles the random set's
 * ratings with the seed: 5% are appended to {@code train.arrow} (click 1), 5% form {@code
 * validation.arrow}, 90% {@code test.arrow}. Cells rated in both sets (366 in Coat) stay in both.
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

    /**
     * @param threshold a rating ≥ threshold is a conversion; in [1, 5]
     * @param protocol how the random set is split
     * @param seed the shuffle of {@link Protocol#FIVE_FIVE_NINETY} and of the validation share
     * @param validationShare share of the self-selected ratings held out as validation under {@link
     *     Protocol#MNAR_TRAIN_MCAR_TEST}, in [0, 0.5] (0: no validation set)
     */
    public record Options(int threshold, Protocol protocol, long seed, double validationShare) {
        /** No validation share. */
        public Options(int threshold, Protocol protocol, long seed) {
            this(threshold, protocol, seed, 0.0);
        }

        public Options {
            if (!(validationShare >= 0 && validationShare <= 0.5)) {
                throw new IllegalArgumentException(
                        "validation share = " + validationShare + " is outside [0, 0.5]");
            }
            if (validationShare > 0 && protocol == Protocol.FIVE_FIVE_NINETY) {
                throw new IllegalArgumentException(
                        "A validation share applies to protocol mnar-train-mcar-test; 5-5-90 has"
                                + " its own validation set");
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

        List<FeatureField> fields = new ArrayList<>();
        fields.add(FeatureField.single("user", FieldRole.USER, users));
        fields.add(FeatureField.single("item", FieldRole.ITEM, items));
        userFeatures.groups.forEach(
                (g, size) -> fields.add(FeatureField.single("user_" + g, FieldRole.USER, size)));
        itemFeatures.groups.forEach(
                (g, size) -> fields.add(FeatureField.single("item_" + g, FieldRole.ITEM, size)));
        ExposureLogSchema schema = ExposureLogSchema.of(new FeatureSchema(fields, true, false));

        // random-set ratings, row-major, then shuffled for 5-5-90
        List<int[]> random = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (test[u][i] > 0) {
                    random.add(new int[] {u, i, test[u][i]});
                }
            }
        }
        List<int[]> extraTrain = List.of();
        List<int[]> validation = List.of();
        List<int[]> testRows = random;
        if (options.protocol() == Protocol.FIVE_FIVE_NINETY) {
            SplittableRandom rnd = new SplittableRandom(options.seed());
            for (int k = random.size() - 1; k > 0; k--) {
                int j = rnd.nextInt(k + 1);
                int[] t = random.get(k);
                random.set(k, random.get(j));
                random.set(j, t);
            }
            int five = (int) Math.round(random.size() * 0.05);
            extraTrain = random.subList(0, five);
            validation = random.subList(five, 2 * five);
            testRows = random.subList(2 * five, random.size());
        }

        boolean[][] heldOut = new boolean[users][items];
        if (options.validationShare() > 0) {
            validation = heldOutRatings(train, options, heldOut);
        }

        List<ConversionReport> reports = new ArrayList<>();
        Path trainOut = outputDir.resolve("train.arrow");
        try (ExposureWriter out =
                ExposureWriter.create(
                        trainOut,
                        schema,
                        allocator,
                        IpcFormat.FILE,
                        ExposureWriter.DEFAULT_BATCH_ROWS)) {
            ConversionReport.Builder r =
                    new ConversionReport.Builder(coat.resolve("train.ascii").toString());
            BatchBuilder b = out.builder();
            for (int u = 0; u < users; u++) {
                for (int i = 0; i < items; i++) {
                    if (heldOut[u][i]) {
                        continue;
                    }
                    r.read();
                    int rating = train[u][i];
                    int click = rating > 0 ? 1 : 0;
                    row(
                            b,
                            click,
                            click == 1 && rating >= options.threshold() ? 1 : 0,
                            u,
                            i,
                            userFeatures,
                            itemFeatures);
                    r.written();
                }
            }
            for (int[] t : extraTrain) {
                r.read();
                row(
                        b,
                        1,
                        t[2] >= options.threshold() ? 1 : 0,
                        t[0],
                        t[1],
                        userFeatures,
                        itemFeatures);
                r.written();
            }
            r.note("threshold " + options.threshold() + ", protocol " + options.protocol().id());
            if (options.validationShare() > 0) {
                r.note(
                        validation.size()
                                + " self-selected ratings held out as validation.arrow (share "
                                + options.validationShare()
                                + ", seed "
                                + options.seed()
                                + ")");
            }
            if (!extraTrain.isEmpty()) {
                r.note(
                        extraTrain.size()
                                + " random-set ratings appended (click 1) after the "
                                + (users * items)
                                + " MNAR exposures");
            }
            reports.add(r.build(out.commit()));
        }
        Optional<Path> validationOut = Optional.empty();
        if (!validation.isEmpty()) {
            validationOut =
                    Optional.of(
                            writeRatings(
                                    outputDir.resolve("validation.arrow"),
                                    validation,
                                    schema,
                                    options,
                                    userFeatures,
                                    itemFeatures,
                                    options.validationShare() > 0
                                            ? coat.resolve("train.ascii")
                                            : coat.resolve("test.ascii"),
                                    allocator,
                                    reports));
        }
        Path testOut =
                writeRatings(
                        outputDir.resolve("test.arrow"),
                        testRows,
                        schema,
                        options,
                        userFeatures,
                        itemFeatures,
                        coat.resolve("test.ascii"),
                        allocator,
                        reports);
        return new Result(trainOut, validationOut, testOut, reports);
    }

    private static Path writeRatings(
            Path target,
            List<int[]> ratings,
            ExposureLogSchema schema,
            Options options,
            OneHot users,
            OneHot items,
            Path source,
            BufferAllocator allocator,
            List<ConversionReport> reports) {
        try (ExposureWriter out =
                ExposureWriter.create(
                        target,
                        schema,
                        allocator,
                        IpcFormat.FILE,
                        ExposureWriter.DEFAULT_BATCH_ROWS)) {
            ConversionReport.Builder r = new ConversionReport.Builder(source.toString());
            for (int[] t : ratings) {
                r.read();
                row(
                        out.builder(),
                        1,
                        t[2] >= options.threshold() ? 1 : 0,
                        t[0],
                        t[1],
                        users,
                        items);
                r.written();
            }
            r.note(
                    (source.getFileName().toString().equals("train.ascii")
                                    ? "self-selected ratings held out"
                                    : "random-set ratings")
                            + ", click 1, conversion = rating >= "
                            + options.threshold());
            Path done = out.commit();
            reports.add(r.build(done));
            return done;
        }
    }

    /**
     * A seeded share of the self-selected ratings (row-major, then shuffled), marked in {@code
     * heldOut}; returned as (user, item, rating) in row-major order.
     */
    private static List<int[]> heldOutRatings(int[][] train, Options options, boolean[][] heldOut) {
        List<int[]> rated = new ArrayList<>();
        for (int u = 0; u < train.length; u++) {
            for (int i = 0; i < train[u].length; i++) {
                if (train[u][i] > 0) {
                    rated.add(new int[] {u, i, train[u][i]});
                }
            }
        }
        SplittableRandom rnd = new SplittableRandom(options.seed());
        for (int k = rated.size() - 1; k > 0; k--) {
            int j = rnd.nextInt(k + 1);
            int[] t = rated.get(k);
            rated.set(k, rated.get(j));
            rated.set(j, t);
        }
        int n = (int) Math.round(rated.size() * options.validationShare());
        List<int[]> out = new ArrayList<>(rated.subList(0, n));
        out.sort(
                (a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        for (int[] t : out) {
            heldOut[t[0]][t[1]] = true;
        }
        return out;
    }

    private static void row(
            BatchBuilder b, int click, int conversion, int user, int item, OneHot uf, OneHot itf) {
        int r = b.addRow(click, conversion);
        b.setId(0, r, user);
        b.setId(1, r, item);
        int f = 2;
        for (int g = 0; g < uf.ids[user].length; g++) {
            b.setId(f++, r, uf.ids[user][g]);
        }
        for (int g = 0; g < itf.ids[item].length; g++) {
            b.setId(f++, r, itf.ids[item][g]);
        }
        b.setGroup(r, user);
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
