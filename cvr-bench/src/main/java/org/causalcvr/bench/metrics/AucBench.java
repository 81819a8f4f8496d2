package org.causalcvr.bench.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.causalcvr.metrics.Auc;
import org.causalcvr.metrics.AucAccumulator;

/**
 * Times the exact AUC over n scores and reports the JVM's peak heap use.
 *
 * <pre>
 *   java -Xmx4g -cp "cvr-bench/target/cvr-bench.jar:cvr-bench/target/lib/*" \
 *       org.causalcvr.bench.metrics.AucBench 100000000 [arrays|stream] [baseline]
 * </pre>
 *
 * <ul>
 *   <li>{@code arrays}: {@link Auc#compute(float[], int[])} on a {@code float[]} of scores and an
 *       {@code int[]} of labels (the inputs alone take 8 bytes a row).
 *   <li>{@code stream}: an {@link AucAccumulator} fed in batches of 1M rows, sized up front, so the
 *       heap holds only the accumulator (4 bytes a row) and one batch.
 *   <li>{@code baseline}: also times {@code Arrays.sort} of a {@code long[]} packing (score key,
 *       label), the comparison-sort alternative, and checks that both give the same AUC.
 * </ul>
 *
 * Scores are {@code float(sigmoid(label + N(0,1)))} with 30% positives, which has float ties; the
 * AUC is about Φ(1/√2) ≈ 0.76. Peak heap is the sum over heap pools of their peak usage, reset
 * after data generation (an upper bound: pools peak at different times).
 */
public final class AucBench {
    private AucBench() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: AucBench <rows> [arrays|stream] [baseline]");
            System.exit(2);
        }
        int n = (int) Long.parseLong(args[0].replace("_", ""));
        String mode = args.length > 1 ? args[1] : "arrays";
        boolean baseline = args.length > 2 && args[2].equals("baseline");
        var random = new SplittableRandom(20260517);
        if (mode.equals("stream")) {
            stream(n, random);
            return;
        }
        long t0 = System.nanoTime();
        float[] scores = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
            scores[i] = score(labels[i], random);
        }
        System.out.printf(
                Locale.ROOT, "generated %,d rows in %.2f s%n", n, (System.nanoTime() - t0) / 1e9);
        long inputBytes = 8L * n;
        for (int run = 1; run <= 3; run++) {
            System.gc();
            resetPeaks();
            long heapBefore = heapUsed();
            long cpu = cpuNanos();
            long start = System.nanoTime();
            double auc = Auc.compute(scores, labels);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "run %d: Auc.compute  n=%,d  auc=%.6f  %.3f s wall, %.3f s thread CPU"
                            + "  peak heap %.0f MiB (inputs %.0f MiB, heap before %.0f MiB)%n",
                    run,
                    n,
                    auc,
                    seconds,
                    (cpuNanos() - cpu) / 1e9,
                    peakHeap() / 1048576.0,
                    inputBytes / 1048576.0,
                    heapBefore / 1048576.0);
        }
        if (baseline) {
            System.gc();
            resetPeaks();
            long cpu = cpuNanos();
            long start = System.nanoTime();
            double auc = sortBaseline(scores, labels);
            System.out.printf(
                    Locale.ROOT,
                    "baseline: Arrays.sort(long[])  auc=%.6f  %.3f s wall, %.3f s thread CPU"
                            + "  peak heap %.0f MiB%n",
                    auc,
                    (System.nanoTime() - start) / 1e9,
                    (cpuNanos() - cpu) / 1e9,
                    peakHeap() / 1048576.0);
        }
    }

    private static void stream(int n, SplittableRandom random) {
        int batch = 1_000_000;
        float[] scores = new float[batch];
        int[] labels = new int[batch];
        System.gc();
        resetPeaks();
        var accumulator = new AucAccumulator("bench", n);
        long addNanos = 0;
        for (int from = 0; from < n; from += batch) {
            int size = Math.min(batch, n - from);
            if (size < batch) {
                scores = Arrays.copyOf(scores, size);
                labels = Arrays.copyOf(labels, size);
            }
            for (int i = 0; i < size; i++) {
                labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
                scores[i] = score(labels[i], random);
            }
            long t = System.nanoTime();
            accumulator.add(scores, labels);
            addNanos += System.nanoTime() - t;
        }
        long cpu = cpuNanos();
        long start = System.nanoTime();
        double auc = accumulator.auc();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "stream: AucAccumulator  n=%,d  auc=%.6f  add %.3f s + auc() %.3f s wall"
                        + " (%.3f s thread CPU)  peak heap %.0f MiB%n",
                n,
                auc,
                addNanos / 1e9,
                seconds,
                (cpuNanos() - cpu) / 1e9,
                peakHeap() / 1048576.0);
    }

    private static float score(int label, SplittableRandom random) {
        double z = label + gaussian(random);
        return (float) (1 / (1 + Math.exp(-z)));
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian in Java 17.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** The comparison-sort way: pack (order-preserving key, label) into a long and sort. */
    private static double sortBaseline(float[] scores, int[] labels) {
        int n = scores.length;
        long[] packed = new long[n];
        long n1 = 0;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(scores[i] + 0.0f);
            int key = bits ^ ((bits >> 31) & 0x7FFFFFFF);
            packed[i] = ((long) key << 1) | labels[i];
            n1 += labels[i];
        }
        Arrays.sort(packed);
        long n0 = n - n1;
        long twiceU = 0;
        long negativesBelow = 0;
        int i = 0;
        while (i < n) {
            long key = packed[i] >> 1;
            long pos = 0;
            long neg = 0;
            while (i < n && packed[i] >> 1 == key) {
                if ((packed[i] & 1) == 1) {
                    pos++;
                } else {
                    neg++;
                }
                i++;
            }
            twiceU += pos * (2 * negativesBelow + neg);
            negativesBelow += neg;
        }
        return twiceU / (2.0 * n1 * n0);
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long heapUsed() {
        var memory = ManagementFactory.getMemoryMXBean();
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
