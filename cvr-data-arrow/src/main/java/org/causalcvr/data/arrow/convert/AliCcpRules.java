package org.causalcvr.data.arrow.convert;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;
import java.util.function.ToLongFunction;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.convert.AliCcpRawConverter.MultiValuedPolicy;

/**
 * The rules that turn the raw Ali-CCP files into exposure-log rows, in one place for every engine
 * that runs them (the single-machine {@link AliCcpRawConverter}, the Spark conversion of
 * cvr-spark), so they agree row for row and id for id.
 *
 * <ul>
 *   <li>Lines: a skeleton line is {@code sample_id,click,buy,common_feature_index,feature_num,
 *       feature_list}, a common-features line {@code
 *       common_feature_index,feature_num,feature_list}; labels are 0/1 ({@code 0.0}/{@code 1.0}
 *       accepted), the last column may hold no comma.
 *   <li>Feature lists: items {@code field\x02id\x03value} separated by {@code \x01}; the number of
 *       items must equal {@code feature_num}; items of fields not kept are skipped, a kept item's
 *       value must be a finite number.
 *   <li>Folding into a row, common (user-side) features first, then the sample's own: a
 *       single-valued field keeps its first id; a multi-valued field keeps every id with its value
 *       as weight, or the first k ({@link MultiValuedPolicy#FIRST_K}), or only the last ({@link
 *       MultiValuedPolicy#LAST}, a single-valued column); the group is the first raw id of the
 *       group field (a number, or the string's hash as an unsigned 32-bit value; -1 where missing).
 *   <li>Ids: a vocabulary per field gives the values counted at least {@code minCount} times ids
 *       1..n by decreasing count, equal counts by value (String order), everything else the
 *       out-of-vocabulary id 0; hashing maps a value into {@code [1, buckets)} (0 = missing).
 * </ul>
 *
 * Serialisable (it holds only the options' derived arrays), so Spark ships it to executors.
 */
public final class AliCcpRules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Column names of a skeleton line, in file order. */
    public static final List<String> SKELETON_COLUMNS =
            List.of(
                    "sample_id",
                    "click",
                    "buy",
                    "common_feature_index",
                    "feature_num",
                    "feature_list");

    /** Column names of a common-features line, in file order. */
    public static final List<String> COMMON_COLUMNS =
            List.of("common_feature_index", "feature_num", "feature_list");

    private static final char ITEM_SEP = '\u0001';
    private static final char ID_SEP = '\u0002';
    private static final char VALUE_SEP = '\u0003';

    /** Makes the one-line error for a bad value of a column of the line being read. */
    @FunctionalInterface
    public interface Errors {
        /** {@code <file>, column '<column>', line <n>: <problem>}. */
        DataException at(String column, String problem);
    }

    /** The id of a raw value of a kept field (vocabulary or hashing). */
    @FunctionalInterface
    public interface IdEncoding {
        int encode(int field, String raw);
    }

    /** A checked skeleton line. */
    public record SkeletonLine(
            String sampleId,
            int click,
            int buy,
            String commonFeatureIndex,
            int featureNum,
            String featureList)
            implements Serializable {
        /** Buy 1 with click 0: never a row of the log (dropped and counted, or an error). */
        public boolean conversionWithoutClick() {
            return buy == 1 && click == 0;
        }
    }

    /** A checked common-features line (its feature list is checked by {@link #parse}). */
    public record CommonLine(String commonFeatureIndex, int featureNum, String featureList) {}

    private final String[] fields;
    private final boolean[] multi;
    private final boolean[] list;
    private final MultiValuedPolicy policy;
    private final int k;
    private final int groupField;
    private final HashMap<String, Integer> fieldIndex = new HashMap<>();

    /** The rules for the fields, policy and group field of {@code options}. */
    public AliCcpRules(AliCcpRawConverter.Options options) {
        fields = options.fields().toArray(String[]::new);
        multi = new boolean[fields.length];
        list = new boolean[fields.length];
        for (int f = 0; f < fields.length; f++) {
            fieldIndex.put(fields[f], f);
            multi[f] = options.multiValuedFields().contains(fields[f]);
            list[f] = multi[f] && options.policy() != MultiValuedPolicy.LAST;
        }
        policy = options.policy();
        k = options.k();
        groupField = fieldIndex.getOrDefault(options.groupField(), -1);
    }

    /** The number of kept fields (the log's feature columns). */
    public int fieldCount() {
        return fields.length;
    }

    /** Whether kept field {@code f} is a weighted list column. */
    public boolean listField(int f) {
        return list[f];
    }

    /**
     * The log's schema: one feature per kept field (role from {@link AliCcpProcessed#role}), list
     * fields weighted, a group column, no ground truth.
     *
     * @param cardinality per field index, its number of ids (vocabulary size + 1, or buckets)
     */
    public ExposureLogSchema schema(IntToLongFunction cardinality) {
        List<FeatureField> out = new ArrayList<>();
        Set<String> weighted = new LinkedHashSet<>();
        for (int f = 0; f < fields.length; f++) {
            out.add(
                    new FeatureField(
                            fields[f],
                            AliCcpProcessed.role(fields[f]),
                            cardinality.applyAsLong(f),
                            list[f]));
            if (list[f]) {
                weighted.add(fields[f]);
            }
        }
        return new ExposureLogSchema(new FeatureSchema(out, true, false), weighted);
    }

    /**
     * A skeleton line split and checked (labels, feature count; the list itself by {@link #parse}).
     */
    public static SkeletonLine skeletonLine(String text, Errors errors) {
        String[] c = columns(text, SKELETON_COLUMNS, errors);
        int click = label(c[1], "click", errors);
        int buy = label(c[2], "buy", errors);
        return new SkeletonLine(c[0], click, buy, c[3], integer(c[4], "feature_num", errors), c[5]);
    }

    /** A common-features line split and checked (the feature count is an integer). */
    public static CommonLine commonLine(String text, Errors errors) {
        String[] c = columns(text, COMMON_COLUMNS, errors);
        return new CommonLine(c[0], integer(c[1], "feature_num", errors), c[2]);
    }

    private static String[] columns(String line, List<String> names, Errors errors) {
        int expected = names.size();
        String[] out = new String[expected];
        int start = 0;
        for (int c = 0; c < expected - 1; c++) {
            int comma = line.indexOf(',', start);
            if (comma < 0) {
                throw errors.at(
                        names.get(c + 1), "missing (" + (c + 1) + " of " + expected + " columns)");
            }
            out[c] = line.substring(start, comma);
            start = comma + 1;
        }
        out[expected - 1] = line.substring(start);
        if (out[expected - 1].indexOf(',') >= 0) {
            throw errors.at(names.get(expected - 1), "more than " + expected + " columns");
        }
        return out;
    }

    private static int label(String text, String column, Errors errors) {
        return switch (text.trim()) {
            case "0", "0.0" -> 0;
            case "1", "1.0" -> 1;
            default -> throw errors.at(column, "label '" + text + "' is not 0 or 1");
        };
    }

    private static int integer(String text, String column, Errors errors) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw errors.at(column, "'" + text + "' is not an integer");
        }
    }

    /** The kept items of one feature list, reused from list to list. */
    public static final class Items {
        private int size;
        private int[] field = new int[64];
        private String[] raw = new String[64];
        private float[] value = new float[64];

        /** Kept items in list order. */
        public int size() {
            return size;
        }

        /** Field index of item {@code i}. */
        public int field(int i) {
            return field[i];
        }

        /** Raw id of item {@code i}. */
        public String raw(int i) {
            return raw[i];
        }

        /** Value of item {@code i}. */
        public float value(int i) {
            return value[i];
        }

        private void add(int f, String id, float v) {
            if (size == field.length) {
                field = Arrays.copyOf(field, size * 2);
                raw = Arrays.copyOf(raw, size * 2);
                value = Arrays.copyOf(value, size * 2);
            }
            field[size] = f;
            raw[size] = id;
            value[size] = v;
            size++;
        }
    }

    /**
     * Parses {@code featureList} into {@code out} (cleared first), keeping the items of kept
     * fields.
     *
     * @param declared the line's {@code feature_num}: the number of items the list must hold
     * @throws DataException through {@code errors} for an item without its separators, a kept
     *     item's value that is not a finite number, or a count other than {@code declared}
     */
    public Items parse(String featureList, int declared, Errors errors, Items out) {
        out.size = 0;
        int count = 0;
        int start = 0;
        int len = featureList.length();
        while (start < len) {
            int end = featureList.indexOf(ITEM_SEP, start);
            if (end < 0) {
                end = len;
            }
            int a = featureList.indexOf(ID_SEP, start);
            int b = featureList.indexOf(VALUE_SEP, start);
            if (a < 0 || a > end || b < a || b > end) {
                throw errors.at("feature_list", "item " + count + " is not field\\x02id\\x03value");
            }
            count++;
            Integer f = fieldIndex.get(featureList.substring(start, a));
            if (f != null) {
                String text = featureList.substring(b + 1, end);
                float v;
                try {
                    v = Float.parseFloat(text);
                } catch (NumberFormatException e) {
                    throw errors.at(
                            "feature_list",
                            "item " + (count - 1) + ": value '" + text + "' is not a number");
                }
                if (!Float.isFinite(v)) {
                    throw errors.at(
                            "feature_list",
                            "item " + (count - 1) + ": value " + v + " is not finite");
                }
                out.add(f, featureList.substring(a + 1, b), v);
            }
            start = end + 1;
        }
        if (declared >= 0 && count != declared) {
            throw errors.at(
                    "feature_num", "declares " + declared + " features, the list has " + count);
        }
        return out;
    }

    /**
     * Parses a list that {@link #parse} has already accepted once (a second pass over checked data,
     * where no line number is at hand).
     */
    public Items parseChecked(String featureList, Items out) {
        return parse(
                featureList,
                -1,
                (column, problem) ->
                        new DataException("column '" + column + "' of a checked list: " + problem),
                out);
    }

    /** The encoded features of one row: per field, its ids and weights, and the row's group. */
    public static final class EncodedRow {
        private final int[][] ids;
        private final float[][] weights;
        private final int[] counts;
        private long group = -1;
        private boolean hasGroup;

        /** An empty row of {@code fields} fields. */
        public EncodedRow(int fields) {
            ids = new int[fields][];
            weights = new float[fields][];
            counts = new int[fields];
        }

        /** Ids held for field {@code f}. */
        public int count(int f) {
            return counts[f];
        }

        /** The ids of field {@code f}; only the first {@link #count} are the row's. */
        public int[] ids(int f) {
            return ids[f] == null ? new int[0] : ids[f];
        }

        /** The weights of field {@code f}, parallel to {@link #ids}. */
        public float[] weights(int f) {
            return weights[f] == null ? new float[0] : weights[f];
        }

        /** The id of a single-valued column: its first id, or 0 (out of vocabulary) if none. */
        public int singleId(int f) {
            return counts[f] > 0 ? ids[f][0] : 0;
        }

        /** The group, -1 where the group field is missing. */
        public long group() {
            return hasGroup ? group : -1;
        }

        /** Makes this row a copy of {@code other} (same number of fields). */
        public void setTo(EncodedRow other) {
            for (int f = 0; f < counts.length; f++) {
                counts[f] = other.counts[f];
                if (other.counts[f] > 0) {
                    if (ids[f] == null || ids[f].length < other.counts[f]) {
                        ids[f] = new int[Math.max(4, other.counts[f] * 2)];
                        weights[f] = new float[ids[f].length];
                    }
                    System.arraycopy(other.ids[f], 0, ids[f], 0, other.counts[f]);
                    System.arraycopy(other.weights[f], 0, weights[f], 0, other.counts[f]);
                }
            }
            group = other.group;
            hasGroup = other.hasGroup;
        }

        private void append(int f, int id, float weight) {
            if (ids[f] == null || ids[f].length == counts[f]) {
                int cap = ids[f] == null ? 4 : ids[f].length * 2;
                ids[f] = ids[f] == null ? new int[cap] : Arrays.copyOf(ids[f], cap);
                weights[f] = weights[f] == null ? new float[cap] : Arrays.copyOf(weights[f], cap);
            }
            ids[f][counts[f]] = id;
            weights[f][counts[f]] = weight;
            counts[f]++;
        }
    }

    /**
     * Folds parsed items into {@code row}, after what it holds (so common features first, then the
     * sample's own), by the rules of the class comment.
     *
     * @return the repeated values of single-valued fields ignored (the first is kept)
     */
    public int fold(Items items, EncodedRow row, IdEncoding encoding) {
        int ignored = 0;
        for (int i = 0; i < items.size; i++) {
            int f = items.field[i];
            if (f == groupField && !row.hasGroup) {
                row.group = groupValue(items.raw[i]);
                row.hasGroup = true;
            }
            int id = encoding.encode(f, items.raw[i]);
            if (!multi[f]) {
                if (row.counts[f] > 0) {
                    ignored++;
                    continue;
                }
            } else if (!list[f]) {
                row.counts[f] = 0; // LAST: overwrite
            } else if (policy == MultiValuedPolicy.FIRST_K && row.counts[f] >= k) {
                continue;
            }
            row.append(f, id, items.value[i]);
        }
        return ignored;
    }

    private static long groupValue(String raw) {
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            return raw.hashCode() & 0xFFFF_FFFFL;
        }
    }

    /** The hashed id of raw value {@code raw} of field {@code field}, in {@code [1, buckets)}. */
    public static int hashedId(int field, String raw, int buckets) {
        long h = raw.hashCode() * 0x9E37_79B9_7F4A_7C15L + field;
        h = (h ^ (h >>> 31)) * 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 29;
        return 1 + (int) Math.floorMod(h, (long) buckets - 1);
    }

    /**
     * A field's vocabulary: the values counted at least {@code minCount} times, ids 1..n by
     * decreasing count, equal counts by value.
     *
     * @param counts value to its count holder, read through {@code count}
     */
    public static <C> HashMap<String, Integer> vocabulary(
            Map<String, C> counts, ToLongFunction<C> count, long minCount) {
        List<Map.Entry<String, C>> kept = new ArrayList<>();
        for (Map.Entry<String, C> e : counts.entrySet()) {
            if (count.applyAsLong(e.getValue()) >= minCount) {
                kept.add(e);
            }
        }
        Comparator<Map.Entry<String, C>> byCount =
                Comparator.comparingLong(e -> -count.applyAsLong(e.getValue()));
        kept.sort(byCount.thenComparing(Map.Entry::getKey));
        HashMap<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < kept.size(); i++) {
            ids.put(kept.get(i).getKey(), i + 1);
        }
        return ids;
    }
}
