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
     * n} ints; it may be null for small inputs.
     */
    static void sortInts(int[] keys, int n, int[] scratch) {
        if (n < SMALL) {
            Arrays.sort(keys, 0, n);
            return;
        }
        if (scratch == null || scratch.length < n) {
            scratch = new int[n];
        }
        int[] src = keys;
        int[] dst = scratch;
        int[] count = new int[BUCKETS];
        for (int shift = 0; shift < 32; shift += RADIX_BITS) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[((src[i] ^ Integer.MIN_VALUE) >>> shift) & MASK]++;
            }
            if (count[((src[0] ^ Integer.MIN_VALUE) >>> shift) & MASK] == n) {
                continue; // every key has this digit: the pass would copy in order
            }
            int sum = 0;
            for (int b = 0; b < BUCKETS; b++) {
                int c = count[b];
                count[b] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int k = src[i];
                dst[count[((k ^ Integer.MIN_VALUE) >>> shift) & MASK]++] = k;
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != keys) {
            System.arraycopy(src, 0, keys, 0, n);
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
