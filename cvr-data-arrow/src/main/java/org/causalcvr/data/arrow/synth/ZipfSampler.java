package org.causalcvr.data.arrow.synth;

import java.util.SplittableRandom;

/**
 * Draws ids from a Zipf-like popularity law in O(1) from one 64-bit random word: Walker's alias
 * method over the ids (table of {@code 8·n} bytes), or, above {@value #ALIAS_LIMIT} ids, the
 * continuous inverse CDF of {@code 1/x^s} with a bijective scatter of the ranks.
 */
final class ZipfSampler {
    static final int ALIAS_LIMIT = 1 << 24;

    private final int n;
    private final long[] table;
    private final double s;
    private final long scatterA;
    private final long scatterB;
    private final long seed;
    private volatile int[] ranks;
    private volatile double[] massBefore;

    ZipfSampler(int n, double s, long seed) {
        this.n = n;
        this.s = s;
        this.seed = seed;
        if (n <= ALIAS_LIMIT) {
            table = buildAlias(n, s, seed);
            scatterA = 1;
            scatterB = 0;
        } else {
            table = null;
            SplittableRandom rnd = new SplittableRandom(seed);
            long a = (rnd.nextLong(n - 1) + 1) | 1;
            while (gcd(a, n) != 1) {
                a += 2;
            }
            scatterA = a % n;
            scatterB = rnd.nextLong(n);
        }
    }

    int size() {
        return n;
    }

    /** The id drawn by random word {@code h} (all 64 bits used). */
    int sample(long h) {
        if (table != null) {
            int i = (int) (((h >>> 32) * n) >>> 32);
            long e = table[i];
            return (h & 0xFFFF_FFFFL) < (e >>> 31) ? i : (int) (e & 0x7FFF_FFFFL);
        }
        double u = (h >>> 11) * 0x1.0p-53;
        double x;
        if (Math.abs(s - 1.0) < 1e-9) {
            x = Math.pow(n + 1.0, u);
        } else {
            double t = 1.0 - s;
            x = Math.pow(1.0 + u * (Math.pow(n + 1.0, t) - 1.0), 1.0 / t);
        }
        long rank = Math.min(n - 1, Math.max(0, (long) x - 1));
        return (int) Math.floorMod(rank * scatterA + scatterB, (long) n);
    }

    /**
     * The popularity rank of {@code id}: 0 for the id drawn most often, {@code n-1} for the rarest.
     * The first call for an alias-table law rebuilds its permutation from the seed ({@code 4·n}
     * bytes, kept).
     */
    int rank(int id) {
        if (table == null) {
            // id = rank·A + B (mod n) with A invertible mod n
            long inv =
                    java.math.BigInteger.valueOf(scatterA)
                            .modInverse(java.math.BigInteger.valueOf(n))
                            .longValue();
            return (int) mulMod(id - scatterB, inv);
        }
        int[] r = ranks;
        if (r == null) {
            int[] perm = permutation(n, seed);
            r = new int[n];
            for (int k = 0; k < n; k++) {
                r[perm[k]] = k;
            }
            ranks = r;
        }
        return r[id];
    }

    private long mulMod(long a, long b) {
        return java.math.BigInteger.valueOf(Math.floorMod(a, (long) n))
                .multiply(java.math.BigInteger.valueOf(b))
                .mod(java.math.BigInteger.valueOf(n))
                .longValue();
    }

    /**
     * The probability mass of the ids more popular than rank {@code k}: the share of draws that
     * fall on ranks {@code 0..k-1}, in [0, 1). Exact for alias-table laws; the continuous law the
     * sampler draws from above {@value #ALIAS_LIMIT} ids.
     */
    double massBefore(int k) {
        if (table == null) {
            if (Math.abs(s - 1.0) < 1e-9) {
                return Math.log(k + 1.0) / Math.log(n + 1.0);
            }
            double t = 1.0 - s;
            return (Math.pow(k + 1.0, t) - 1.0) / (Math.pow(n + 1.0, t) - 1.0);
        }
        double[] m = massBefore;
        if (m == null) {
            m = new double[n + 1];
            for (int i = 0; i < n; i++) {
                m[i + 1] = m[i] + (s == 0 ? 1.0 : Math.pow(i + 1.0, -s));
            }
            double total = m[n];
            for (int i = 0; i <= n; i++) {
                m[i] /= total;
            }
            massBefore = m;
        }
        return m[k];
    }

    /** {@code ln} of the (unnormalised) probability of {@code id}: {@code -s·ln(rank + 1)}. */
    double logWeight(int id) {
        return -s * Math.log(rank(id) + 1.0);
    }

    private static int[] permutation(int n, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Entry i: acceptance threshold (33 bits, out of 2^32) << 31 | alias (31 bits). */
    private static long[] buildAlias(int n, double s, long seed) {
        int[] perm = permutation(n, seed);
        double[] q = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            double w = s == 0 ? 1.0 : Math.pow(k + 1.0, -s);
            q[perm[k]] = w;
            total += w;
        }
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            q[i] = q[i] * n / total;
            if (q[i] < 1.0) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        long[] table = new long[n];
        for (int i = 0; i < n; i++) {
            table[i] = (1L << 32) << 31 | i;
        }
        while (ns > 0 && nl > 0) {
            int l = small[--ns];
            int g = large[--nl];
            long thr = Math.min(1L << 32, Math.round(q[l] * 4294967296.0));
            table[l] = thr << 31 | g;
            q[g] = (q[g] + q[l]) - 1.0;
            if (q[g] < 1.0) {
                small[ns++] = g;
            } else {
                large[nl++] = g;
            }
        }
        // leftovers (rounding) keep probability 1 of themselves, as initialised
        return table;
    }
}
