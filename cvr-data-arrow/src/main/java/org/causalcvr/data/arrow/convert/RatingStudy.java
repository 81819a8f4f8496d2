package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;

/**
 * A rating study with a self-selected and a random set (Coat, Yahoo! R3) written as exposure logs
 * by a {@link CoatConverter.Protocol}.
 *
 * <p>Training exposures are all user-item pairs, row-major (user, then item): a click is "rated in
 * the self-selected (missing-not-at-random) set", a conversion is "that rating ≥ threshold". Test
 * rows are the ratings of the random (missing-at-random) set, each with click 1 and conversion
 * "rating ≥ threshold"; {@link RandomSetSplit} shares them out by the protocol. Features: {@code
 * user}, {@code item}, then the study's per-user and per-item fields; the group is the user. A
 * validation share of {@link CoatConverter.Options} holds out self-selected ratings instead (see
 * {@link CoatConverter}).
 *
 * @param users number of users (ids {@code 0..users-1})
 * @param items number of items
 * @param selfSelected the rating of each pair in the self-selected set, 0 where unrated
 * @param random the random set's ratings as {@code {user, item, rating}}, in file order
 * @param userFields per-user fields (after {@code user} and {@code item})
 * @param userIds for each user, its id in each of {@code userFields}
 * @param itemFields per-item fields (after the user fields)
 * @param itemIds for each item, its id in each of {@code itemFields}
 * @param selfSelectedInput the self-selected set's file, named in the report
 * @param randomInput the random set's file, named in the reports
 */
record RatingStudy(
        int users,
        int items,
        Ratings selfSelected,
        List<int[]> random,
        List<FeatureField> userFields,
        int[][] userIds,
        List<FeatureField> itemFields,
        int[][] itemIds,
        Path selfSelectedInput,
        Path randomInput) {
    /** The self-selected ratings as a function of the pair. */
    interface Ratings {
        /** The rating of {@code item} by {@code user}, 0 where the pair was not rated. */
        int rating(int user, int item);
    }

    /** The schema: user, item, the user fields, the item fields; grouped by user, no truth. */
    ExposureLogSchema schema() {
        List<FeatureField> fields = new ArrayList<>();
        fields.add(FeatureField.single("user", FieldRole.USER, users));
        fields.add(FeatureField.single("item", FieldRole.ITEM, items));
        fields.addAll(userFields);
        fields.addAll(itemFields);
        return ExposureLogSchema.of(new FeatureSchema(fields, true, false));
    }

    /** Writes {@code train.arrow}, {@code test.arrow} (and {@code validation.arrow}). */
    CoatConverter.Result write(
            Path outputDir, CoatConverter.Options options, BufferAllocator allocator) {
        ExposureLogSchema schema = schema();
        RandomSetSplit<int[]> split =
                RandomSetSplit.of(random, options.protocol(), options.seed(), options.fold());
        Set<Long> heldOut = new HashSet<>();
        List<int[]> selfSelectedValidation =
                options.validationShare() > 0 ? heldOutRatings(options, heldOut) : List.of();
        Optional<PropensityColumn> nb =
                switch (options.propensity()) {
                    case NAIVE_BAYES ->
                            Optional.of(naiveBayes(split.extraTrain(), heldOut, options));
                    case NAIVE_BAYES_RATING ->
                            Optional.of(ratingNaiveBayes(split.extraTrain(), heldOut, options));
                    case NONE -> Optional.empty();
                };
        if (nb.isPresent()) {
            schema = schema.withPropensity();
        }
        Map<String, String> metadata =
                nb.map(p -> Map.of(ExposureLogSchema.PROPENSITY_METHOD_KEY, p.description()))
                        .orElse(Map.of());
        PropensityColumn estimated = nb.orElse(null);
        List<ConversionReport> reports = new ArrayList<>();
        Path trainOut = outputDir.resolve("train.arrow");
        try (ExposureWriter out =
                ExposureWriter.create(
                        trainOut,
                        schema,
                        allocator,
                        IpcFormat.FILE,
                        ExposureWriter.DEFAULT_BATCH_ROWS,
                        metadata)) {
            ConversionReport.Builder r = new ConversionReport.Builder(selfSelectedInput.toString());
            BatchBuilder b = out.builder();
            for (int u = 0; u < users; u++) {
                for (int i = 0; i < items; i++) {
                    if (!heldOut.isEmpty() && heldOut.contains(pair(u, i))) {
                        continue;
                    }
                    r.read();
                    int rating = selfSelected.rating(u, i);
                    int click = rating > 0 ? 1 : 0;
                    row(
                            b,
                            click,
                            rating,
                            click == 1 && rating >= options.threshold() ? 1 : 0,
                            u,
                            i,
                            estimated);
                    r.written();
                }
            }
            for (int[] t : split.extraTrain()) {
                r.read();
                row(b, 1, t[2], t[2] >= options.threshold() ? 1 : 0, t[0], t[1], estimated);
                r.written();
            }
            r.note(
                    "threshold "
                            + options.threshold()
                            + ", protocol "
                            + options.protocol().id()
                            + (options.fold() == 2
                                    ? ", fold 2 (the two 5% slices of fold 1 swapped)"
                                    : ""));
            if (options.validationShare() > 0) {
                r.note(
                        selfSelectedValidation.size()
                                + " self-selected ratings held out as validation.arrow (share "
                                + options.validationShare()
                                + ", seed "
                                + options.seed()
                                + ")");
            }
            if (!split.extraTrain().isEmpty()) {
                r.note(
                        split.extraTrain().size()
                                + " random-set ratings appended (click 1) after the "
                                + ((long) users * items)
                                + " MNAR exposures");
            }
            nb.ifPresent(p -> r.note("column 'propensity': " + p.description()));
            reports.add(r.build(out.commit()));
        }
        Optional<Path> validationOut = Optional.empty();
        if (!selfSelectedValidation.isEmpty()) {
            validationOut =
                    Optional.of(
                            writeRatings(
                                    outputDir.resolve("validation.arrow"),
                                    selfSelectedValidation,
                                    schema,
                                    options,
                                    allocator,
                                    reports,
                                    selfSelectedInput,
                                    "self-selected ratings held out",
                                    estimated,
                                    metadata));
        } else if (!split.validation().isEmpty()) {
            validationOut =
                    Optional.of(
                            writeRandom(
                                    outputDir.resolve("validation.arrow"),
                                    split.validation(),
                                    schema,
                                    options,
                                    allocator,
                                    reports,
                                    estimated,
                                    metadata));
        }
        Path testOut =
                writeRandom(
                        outputDir.resolve("test.arrow"),
                        split.test(),
                        schema,
                        options,
                        allocator,
                        reports,
                        estimated,
                        metadata);
        return new CoatConverter.Result(trainOut, validationOut, testOut, reports);
    }

    private Path writeRandom(
            Path target,
            List<int[]> ratings,
            ExposureLogSchema schema,
            CoatConverter.Options options,
            BufferAllocator allocator,
            List<ConversionReport> reports,
            PropensityColumn propensity,
            Map<String, String> metadata) {
        return writeRatings(
                target,
                ratings,
                schema,
                options,
                allocator,
                reports,
                randomInput,
                "random-set ratings",
                propensity,
                metadata);
    }

    /**
     * A seeded share of the self-selected ratings (row-major, then shuffled), their pairs added to
     * {@code heldOut}; returned as {@code {user, item, rating}} in row-major order.
     */
    private List<int[]> heldOutRatings(CoatConverter.Options options, Set<Long> heldOut) {
        List<int[]> rated = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                int rating = selfSelected.rating(u, i);
                if (rating > 0) {
                    rated.add(new int[] {u, i, rating});
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
        out.sort(Comparator.<int[]>comparingInt(t -> t[0]).thenComparingInt(t -> t[1]));
        for (int[] t : out) {
            heldOut.add(pair(t[0], t[1]));
        }
        return out;
    }

    private long pair(int user, int item) {
        return (long) user * items + item;
    }

    private Path writeRatings(
            Path target,
            List<int[]> ratings,
            ExposureLogSchema schema,
            CoatConverter.Options options,
            BufferAllocator allocator,
            List<ConversionReport> reports,
            Path input,
            String what,
            PropensityColumn propensity,
            Map<String, String> metadata) {
        try (ExposureWriter out =
                ExposureWriter.create(
                        target,
                        schema,
                        allocator,
                        IpcFormat.FILE,
                        ExposureWriter.DEFAULT_BATCH_ROWS,
                        metadata)) {
            ConversionReport.Builder r = new ConversionReport.Builder(input.toString());
            for (int[] t : ratings) {
                r.read();
                row(
                        out.builder(),
                        1,
                        t[2],
                        t[2] >= options.threshold() ? 1 : 0,
                        t[0],
                        t[1],
                        propensity);
                r.written();
            }
            r.note(what + ", click 1, conversion = rating >= " + options.threshold());
            Path done = out.commit();
            reports.add(r.build(done));
            return done;
        }
    }

    /**
     * The naive Bayes propensity of this study: P(o=1) and P(y | o=1) from the self-selected
     * ratings left in training (not those of {@code heldOut}), P(y) from {@code randomSample}.
     */
    private NaiveBayesPropensity naiveBayes(
            List<int[]> randomSample, Set<Long> heldOut, CoatConverter.Options options) {
        TrainingRatings counts = trainingRatings(heldOut, 0);
        long rated = 0;
        long positive = 0;
        for (int level = 1; level <= counts.perLevel().length; level++) {
            long n = counts.perLevel()[level - 1];
            rated += n;
            positive += level >= options.threshold() ? n : 0;
        }
        long randomPositive =
                randomSample.stream().filter(t -> t[2] >= options.threshold()).count();
        return NaiveBayesPropensity.of(
                rated,
                positive,
                counts.exposures(),
                randomSample.size(),
                randomPositive,
                sampleName(randomSample, options));
    }

    /**
     * The rating-level naive Bayes propensity of this study: P(o=1) and P(k | o=1) from the
     * self-selected ratings left in training (not those of {@code heldOut}), P(k) from {@code
     * randomSample}; levels 1..the highest rating of either.
     */
    private RatingNaiveBayesPropensity ratingNaiveBayes(
            List<int[]> randomSample, Set<Long> heldOut, CoatConverter.Options options) {
        int randomLevels = randomSample.stream().mapToInt(t -> t[2]).max().orElse(0);
        TrainingRatings counts = trainingRatings(heldOut, randomLevels);
        long[] random = new long[counts.perLevel().length];
        for (int[] t : randomSample) {
            random[t[2] - 1]++;
        }
        return RatingNaiveBayesPropensity.of(
                counts.perLevel(), counts.exposures(), random, sampleName(randomSample, options));
    }

    /**
     * The exposures left in training and their self-selected ratings by level.
     *
     * @param perLevel entry k - 1 counts the ratings of level k
     */
    private record TrainingRatings(long exposures, long[] perLevel) {}

    /**
     * Counts the (user, item) pairs not in {@code heldOut} and their self-selected ratings by
     * level, with at least {@code minLevels} levels (the highest rating of another sample).
     */
    private TrainingRatings trainingRatings(Set<Long> heldOut, int minLevels) {
        int levels = minLevels;
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                levels = Math.max(levels, selfSelected.rating(u, i));
            }
        }
        long[] perLevel = new long[levels];
        long exposures = 0;
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (!heldOut.isEmpty() && heldOut.contains(pair(u, i))) {
                    continue;
                }
                exposures++;
                int rating = selfSelected.rating(u, i);
                if (rating > 0) {
                    perLevel[rating - 1]++;
                }
            }
        }
        return new TrainingRatings(exposures, perLevel);
    }

    private static String sampleName(List<int[]> randomSample, CoatConverter.Options options) {
        return "the "
                + randomSample.size()
                + " random-set ratings that protocol "
                + options.protocol().id()
                + " (seed "
                + options.seed()
                + (options.fold() == 2 ? ", fold 2" : "")
                + ") appends to training";
    }

    private void row(
            BatchBuilder b,
            int click,
            int rating,
            int conversion,
            int user,
            int item,
            PropensityColumn propensity) {
        int r = b.addRow(click, conversion);
        if (propensity != null) {
            b.setPropensity(r, propensity.forRow(click, rating, conversion));
        }
        b.setId(0, r, user);
        b.setId(1, r, item);
        int f = 2;
        for (int g = 0; g < userFields.size(); g++) {
            b.setId(f++, r, userIds[user][g]);
        }
        for (int g = 0; g < itemFields.size(); g++) {
            b.setId(f++, r, itemIds[item][g]);
        }
        b.setGroup(r, user);
    }
}
