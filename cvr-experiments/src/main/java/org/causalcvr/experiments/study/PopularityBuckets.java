package org.causalcvr.experiments.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureField;

/**
 * The rows of a test log bucketed by how often the training log's clicks show their id of one
 * field: bucket 0 holds the rows whose user (or item) the training data clicks least, the last
 * bucket those it clicks most. The cut points are quantiles of the test rows' training click
 * counts, so the buckets hold about equal numbers of test rows; rows with equal counts stay in one
 * bucket, so a bucket may be empty when many rows share a count (typically 0 clicks).
 *
 * <p>This is the covariate shift a model trained on clicks faces: it sees the head often and the
 * tail rarely or never, and is judged on every exposure.
 *
 * @param field the single-valued field (a user or item id)
 * @param bucketOfRow the bucket of each test row, in stream order
 * @param lowestClicks the smallest training click count in each bucket (-1 when empty)
 * @param highestClicks the largest training click count in each bucket (-1 when empty)
 * @param rows the number of test rows in each bucket
 */
public record PopularityBuckets(
        String field, int[] bucketOfRow, long[] lowestClicks, long[] highestClicks, long[] rows) {

    /** The number of buckets. */
    public int size() {
        return rows.length;
    }

    /** A label such as {@code "0-3 clicks"} for bucket {@code b}. */
    public String label(int b) {
        if (rows[b] == 0) {
            return "empty";
        }
        return lowestClicks[b] == highestClicks[b]
                ? lowestClicks[b] + " clicks"
                : lowestClicks[b] + "-" + highestClicks[b] + " clicks";
    }

    /** A short name for bucket {@code b}: tail, middle, head (or b1..bn for other counts). */
    public String name(int b) {
        if (size() == 3) {
            return List.of("tail", "middle", "head").get(b);
        }
        return b == 0 ? "tail" : b == size() - 1 ? "head" : "b" + (b + 1);
    }

    /** The test rows of bucket {@code b}, in stream order. */
    public int[] rowsOf(int b) {
        int[] out = new int[(int) rows[b]];
        int k = 0;
        for (int r = 0; r < bucketOfRow.length; r++) {
            if (bucketOfRow[r] == b) {
                out[k++] = r;
            }
        }
        return out;
    }

    /**
     * Buckets the rows of {@code test} by the number of clicked rows of {@code train} that show the
     * same id of {@code field}.
     *
     * @throws ConfigException when either log lacks the field, it is multi-valued, or {@code
     *     buckets} is below 1
     */
    public static PopularityBuckets of(
            ExposureSource train, ExposureSource test, String field, int buckets) {
        if (buckets < 1) {
            throw new ConfigException("Popularity buckets: need at least 1, got " + buckets);
        }
        int trainField = fieldIndex(train, field);
        FeatureField spec = train.schema().field(trainField);
        int testField = fieldIndex(test, field);
        long[] clicks = new long[Math.toIntExact(spec.cardinality())];
        try (BatchCursor c = train.open()) {
            while (c.next()) {
                ExposureBatch b = c.batch();
                for (int r = 0; r < b.size(); r++) {
                    if (b.clicks().getInt(r) == 1) {
                        clicks[id(b, trainField, r, clicks.length, train, field)]++;
                    }
                }
            }
        }
        var counts = new ArrayList<long[]>();
        int n = 0;
        try (BatchCursor c = test.open()) {
            while (c.next()) {
                ExposureBatch b = c.batch();
                long[] part = new long[b.size()];
                for (int r = 0; r < b.size(); r++) {
                    part[r] = clicks[id(b, testField, r, clicks.length, test, field)];
                }
                counts.add(part);
                n += part.length;
            }
        }
        long[] count = new long[n];
        int at = 0;
        for (long[] part : counts) {
            System.arraycopy(part, 0, count, at, part.length);
            at += part.length;
        }
        long[] sorted = count.clone();
        Arrays.sort(sorted);
        long[] cut = new long[buckets - 1];
        for (int k = 1; k < buckets; k++) {
            cut[k - 1] = n == 0 ? 0 : sorted[Math.min(n - 1, (int) ((long) n * k / buckets) - 1)];
        }
        int[] bucket = new int[n];
        long[] lo = new long[buckets];
        long[] hi = new long[buckets];
        long[] rows = new long[buckets];
        Arrays.fill(lo, -1);
        Arrays.fill(hi, -1);
        for (int r = 0; r < n; r++) {
            int b = 0;
            while (b < cut.length && count[r] > cut[b]) {
                b++;
            }
            bucket[r] = b;
            rows[b]++;
            lo[b] = lo[b] < 0 ? count[r] : Math.min(lo[b], count[r]);
            hi[b] = Math.max(hi[b], count[r]);
        }
        return new PopularityBuckets(field, bucket, lo, hi, rows);
    }

    private static int fieldIndex(ExposureSource source, String field) {
        var schema = source.schema();
        var found = schema.find(field);
        if (found.isEmpty()) {
            throw new ConfigException(
                    "Popularity buckets: "
                            + source.description()
                            + " has no field '"
                            + field
                            + "' (fields: "
                            + String.join(", ", schema.names())
                            + ")");
        }
        if (found.get().multiValued()) {
            throw new ConfigException(
                    "Popularity buckets: field '" + field + "' is multi-valued; name an id field");
        }
        return schema.indexOf(field);
    }

    private static int id(
            ExposureBatch b, int f, int r, int cardinality, ExposureSource source, String field) {
        int id = b.feature(f).getInt(r);
        if (id < 0 || id >= cardinality) {
            throw new ConfigException(
                    String.format(
                            Locale.ROOT,
                            "Popularity buckets: %s, field '%s': id %d is outside the training"
                                    + " schema's [0, %d)",
                            source.description(),
                            field,
                            id,
                            cardinality));
        }
        return id;
    }
}
