package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.DataException;
import org.causalcvr.data.arrow.Allocators;

/**
 * Converts Yahoo! R3 (Yahoo! Music ratings for user selected and randomly selected songs, Marlin et
 * al. 2009; Webscope {@code ydata-ymusic-rating-study-v1-u}) to exposure logs, by the same
 * protocols as Coat.
 *
 * <p>Input: the two files of the set, {@code ydata-ymusic-rating-study-v1-u-train.txt} (ratings of
 * songs the users chose: missing not at random) and {@code ...-test.txt} (ratings of 10 songs drawn
 * at random for each of 5,400 users: missing at random). Each line is {@code user<TAB>item
 * <TAB>rating}, ids 1-based (15,400 users and 1,000 songs in the full set), ratings 1 to 5; any run
 * of whitespace separates the columns. Ids become 0-based; the numbers of users and items are the
 * largest ids in either file.
 *
 * <p>Output ({@link RatingStudy}): training exposures are all user-song pairs (15.4 million rows
 * for the full set), click = rated in the self-selected file, conversion = that rating ≥ threshold;
 * the random file gives the test (and, for {@code 5-5-90}, validation and extra training) rows,
 * click 1, conversion = rating ≥ threshold. Features: {@code user}, {@code item}; the group is the
 * user. A pair rated twice in one file keeps its last rating, and is counted in a note.
 */
public final class YahooR3Converter {
    /** The file names of the Webscope release. */
    public static final String TRAIN_FILE = "ydata-ymusic-rating-study-v1-u-train.txt";

    public static final String TEST_FILE = "ydata-ymusic-rating-study-v1-u-test.txt";

    private YahooR3Converter() {}

    /** {@link #convert(Path, Path, Path, CoatConverter.Options, BufferAllocator)} from a folder. */
    public static CoatConverter.Result convert(
            Path folder, Path outputDir, CoatConverter.Options options, Allocators memory) {
        return convert(
                folder.resolve(TRAIN_FILE),
                folder.resolve(TEST_FILE),
                outputDir,
                options,
                memory.root());
    }

    /**
     * Converts the self-selected file {@code train} and the random file {@code test} into {@code
     * outputDir} ({@code train.arrow}, {@code test.arrow}, and {@code validation.arrow} for {@code
     * 5-5-90}).
     */
    public static CoatConverter.Result convert(
            Path train,
            Path test,
            Path outputDir,
            CoatConverter.Options options,
            BufferAllocator allocator) {
        List<int[]> selfSelected = triples(train);
        List<int[]> random = triples(test);
        int users = 0;
        int items = 0;
        for (List<int[]> part : List.of(selfSelected, random)) {
            for (int[] t : part) {
                users = Math.max(users, t[0] + 1);
                items = Math.max(items, t[1] + 1);
            }
        }
        if ((long) users * items > Integer.MAX_VALUE) {
            throw DataException.inFile(
                    train,
                    users
                            + " users x "
                            + items
                            + " items is more exposures than one file holds; is this Yahoo! R3?");
        }
        byte[] matrix = new byte[users * items];
        int repeated = 0;
        for (int[] t : selfSelected) {
            int cell = t[0] * items + t[1];
            repeated += matrix[cell] != 0 ? 1 : 0;
            matrix[cell] = (byte) t[2];
        }
        int width = items;
        CoatConverter.Result result =
                new RatingStudy(
                                users,
                                items,
                                (u, i) -> matrix[u * width + i],
                                random,
                                List.of(),
                                new int[users][0],
                                List.of(),
                                new int[items][0],
                                train,
                                test)
                        .write(outputDir, options, allocator);
        if (repeated == 0) {
            return result;
        }
        List<ConversionReport> reports = new ArrayList<>(result.reports());
        ConversionReport first = reports.get(0);
        List<String> notes = new ArrayList<>(first.notes());
        notes.add(repeated + " user-song pairs rated twice in " + train + ": the last rating kept");
        reports.set(
                0,
                new ConversionReport(
                        first.input(),
                        first.output(),
                        first.rowsRead(),
                        first.rowsWritten(),
                        first.dropped(),
                        notes));
        return new CoatConverter.Result(
                result.train(), result.validation(), result.test(), reports);
    }

    /** The {@code user item rating} lines of {@code file}, ids made 0-based. */
    static List<int[]> triples(Path file) {
        List<int[]> out = new ArrayList<>();
        try (TextInput in = TextInput.open(file)) {
            String line;
            while ((line = in.next()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] t = line.trim().split("\\s+");
                if (t.length != 3) {
                    throw in.error(
                            "user item rating",
                            t.length + " columns, expected 3 (user, item, rating)");
                }
                int user = in.parseInt(t[0], "user");
                int item = in.parseInt(t[1], "item");
                int rating = in.parseInt(t[2], "rating");
                if (user < 1) {
                    throw in.error("user", "id " + user + " is not 1-based (the ids start at 1)");
                }
                if (item < 1) {
                    throw in.error("item", "id " + item + " is not 1-based (the ids start at 1)");
                }
                if (rating < 1 || rating > 5) {
                    throw in.error("rating", "rating " + rating + " is outside 1..5");
                }
                out.add(new int[] {user - 1, item - 1, rating});
            }
        }
        if (out.isEmpty()) {
            throw DataException.inFile(file, "empty file (no ratings)");
        }
        return out;
    }
}
