package org.causalcvr.metrics;

import java.util.Arrays;

/**
 * Sorting of primitive keys without boxing: an LSD radix sort of {@code int} keys (three passes of
 * 11 bits, skipping passes where every key shares the digit) and of {@code long} records by their
 * high 32 bits. Linear time; needs a scratch buffer of the same length.
 */
final class PrimitiveSort {
    private static final int RADIX_BITS = 11;
    private static final int BUCKETS = 1 << RADIX_BITS;
    private static final int MASK = BUCKETS - 1;
    private static final int SMALL = 4_096;

    private PrimitiveSort() {}

    /**
     * Sorts {@code keys[0, n)} ascending as signed ints. {@code scratch} must hold at least {@code
     * n} ints, or be null (then one is allocated when needed).
     */
    static void sortInts(int[] keys, int n, int[] scratch) {
        sortInts(keys, 0, n, scratch);
    }

    /**
     * Sorts {@code keys[from, to)} ascending as signed ints. {@code scratch} must hold at least
     * {@code to - from} ints, or be null.
     */
    static void sortInts(int[] keys, int from, int to, int[] scratch) {
        int n = to - from;
        if (n < SMALL) {
            Arrays.sort(keys, from, to);
            return;
        }
        if (scratch == null || scratch.length < n) {
            scratch = new int[n];
        }
        int[] src = keys;
        int srcFrom = from;
        int[] dst = scratch;
        int dstFrom = 0;
        int[] count = new int[BUCKETS];
        for (int shift = 0; shift < 32; shift += RADIX_BITS) {
            Arrays.fill(count, 0);
            int end = srcFrom + n;
            for (int i = srcFrom; i < end; i++) {
                count[((src[i] ^ Integer.MIN_VALUE) >>> shift) & MASK]++;
            }
            if (count[((src[srcFrom] ^ Integer.MIN_VALUE) >>> shift) & MASK] == n) {
                continue; // every key has this digit: the pass would copy in order
            }
            int sum = dstFrom;
            for (int b = 0; b < BUCKETS; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = srcFrom; i < end; i++) {
                int k = src[i];
                dst[count[((k ^ Integer.MIN_VALUE) >>> shift) & MASK]++] = k;
            }
            int[] t = src;
            src = dst;
            dst = t;
            int tf = srcFrom;
            srcFrom = dstFrom;
            dstFrom = tf;
        }
        if (src != keys) {
            System.arraycopy(src, srcFrom, keys, from, n);
        }
    }

    /**
     * Sorts {@code records[0, n)} ascending by their high 32 bits read as a signed int; the low 32
     * bits are a payload carried along (stable within equal keys).
     */
    static void sortByHighInt(long[] records, int n, long[] scratch) {
        if (scratch == null || scratch.length < n) {
            scratch = new long[n];
        }
        long[] src = records;
        long[] dst = scratch;
        int[] count = new int[BUCKETS];
        for (int shift = 32; shift < 64; shift += RADIX_BITS) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (((src[i] ^ Long.MIN_VALUE) >>> shift) & MASK)]++;
            }
            if (n == 0 || count[(int) (((src[0] ^ Long.MIN_VALUE) >>> shift) & MASK)] == n) {
                continue;
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long r = src[i];
                dst[count[(int) (((r ^ Long.MIN_VALUE) >>> shift) & MASK)]++] = r;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        if (src != records) {
            System.arraycopy(src, 0, records, 0, n);
        }
    }
}
