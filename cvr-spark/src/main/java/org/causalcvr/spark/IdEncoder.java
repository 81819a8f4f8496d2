package org.causalcvr.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.causalcvr.data.arrow.convert.AliCcpRules;
import scala.Tuple2;

/**
 * Raw feature values (strings) to ids: a vocabulary per field or hashing. Serialisable; Spark
 * broadcasts it to the executors once.
 *
 * <p>Vocabulary: the values seen at least {@code minCount} times get ids 1..n by decreasing count,
 * equal counts by value (String order); everything else, and a missing value, is the
 * out-of-vocabulary id 0. Hashing: a value gets an id in {@code [1, buckets)}, 0 being missing.
 * Both are cvr-data-arrow's {@link AliCcpRules}, so Spark and one machine agree id for id.
 */
public final class IdEncoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<HashMap<String, Integer>> vocabulary;
    private final int buckets;

    private IdEncoder(List<HashMap<String, Integer>> vocabulary, int buckets) {
        this.vocabulary = vocabulary;
        this.buckets = buckets;
    }

    /** Hashing into {@code [1, buckets)}. */
    public static IdEncoder hashing(int buckets) {
        if (buckets < 2) {
            throw new IllegalArgumentException("buckets must be at least 2, got " + buckets);
        }
        return new IdEncoder(null, buckets);
    }

    /**
     * A vocabulary per field from counts that Spark computed: ((field, value), count), already
     * restricted to counts at least the minimum.
     */
    public static IdEncoder vocabulary(
            int fields, List<Tuple2<Tuple2<Integer, String>, Long>> counts) {
        List<Map<String, Long>> perField = new ArrayList<>();
        for (int f = 0; f < fields; f++) {
            perField.add(new HashMap<>());
        }
        for (var c : counts) {
            perField.get(c._1()._1()).put(c._1()._2(), c._2());
        }
        List<HashMap<String, Integer>> vocab = new ArrayList<>();
        for (Map<String, Long> kept : perField) {
            vocab.add(AliCcpRules.vocabulary(kept, Long::longValue, 1));
        }
        return new IdEncoder(vocab, 0);
    }

    /** Whether ids are hashed. */
    public boolean hashed() {
        return vocabulary == null;
    }

    /** The cardinality of field {@code field}: its vocabulary size plus the OOV id, or buckets. */
    public long cardinality(int field) {
        return hashed() ? buckets : vocabulary.get(field).size() + 1L;
    }

    /** Vocabulary sizes without the OOV id (empty when hashing). */
    public long[] vocabularySizes() {
        return hashed() ? new long[0] : vocabulary.stream().mapToLong(Map::size).toArray();
    }

    /** The id of raw value {@code raw} of field {@code field} (a missing value is not encoded). */
    public int encode(int field, String raw) {
        if (hashed()) {
            return AliCcpRules.hashedId(field, raw, buckets);
        }
        return vocabulary.get(field).getOrDefault(raw, 0);
    }
}
