package org.causalcvr.bench.data;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowBatchCursor;
import org.causalcvr.data.arrow.ExposureSources;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;
import org.causalcvr.data.arrow.ParquetBatchCursor;
import org.causalcvr.data.arrow.ParquetFiles;
import org.causalcvr.data.arrow.ReadOptions;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;

/**
 * The data layer's benchmark, one run, on one machine:
 *
 * <ol>
 *   <li>generator throughput: an {@code ali-ccp-like} file of {@code --rows} rows written (rows/s);
 *   <li>scan throughput: the labels and the 23 feature columns of that file read through {@link
 *       org.causalcvr.data.arrow.ArrowExposureSource} (validation included) and copied into {@code
 *       int[]}s as a backend would, against a raw {@link FileChannel} read of the same file's
 *       bytes; best of {@code --reps}, after a warm-up, so both read from the page cache; the ratio
 *       is reader/raw time;
 *   <li>peak memory while scanning {@code --rows} and {@code --big-rows} rows: the Arrow
 *       allocator's peak and the JVM heap pools' peak, which must not grow with the rows.
 * </ol>
 *
 * <pre>
 * mvn -q -o package -pl cvr-bench -am -DskipTests
 * mvn -q -o -pl cvr-bench exec:exec@bench -Dbench.args="--rows=10000000 --big-rows=100000000"
 * </pre>
 *
 * Options: {@code --rows=N} (10,000,000), {@code --big-rows=N} (0 = skip), {@code --dir=PATH}
 * ({@code target/bench}), {@code --threads=N} (available processors), {@code --reps=N} (3), {@code
 * --keep} (keep the files; by default they are deleted).
 */
public final class DataBench {
    private DataBench() {}

    public static void main(String[] args) throws IOException {
        long rows = 10_000_000;
        long bigRows = 0;
        Path dir = Path.of("target/bench");
        int threads = Runtime.getRuntime().availableProcessors();
        int reps = 3;
        boolean keep = false;
        for (String a : args) {
            for (String arg : a.trim().split("\\s+")) {
                if (arg.isEmpty()) {
                    continue;
                }
                String v = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
                if (arg.startsWith("--rows=")) {
                    rows = Long.parseLong(v);
                } else if (arg.startsWith("--big-rows=")) {
                    bigRows = Long.parseLong(v);
                } else if (arg.startsWith("--dir=")) {
                    dir = Path.of(v);
                } else if (arg.startsWith("--threads=")) {
                    threads = Integer.parseInt(v);
                } else if (arg.startsWith("--reps=")) {
                    reps = Integer.parseInt(v);
                } else if (arg.equals("--keep")) {
                    keep = true;
                } else {
                    throw new IllegalArgumentException(
                            "Unknown option '"
                                    + arg
                                    + "'; known: --rows= --big-rows= --dir= --threads= --reps= --keep");
                }
            }
        }
        Files.createDirectories(dir);
        System.out.println("load average at start: " + loadAverage());
        System.out.printf(
                Locale.ROOT,
                "machine: %d processors, max heap %d MiB, java %s%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        try (Allocators memory = Allocators.create()) {
            SyntheticWorld world = SyntheticWorld.build(Presets.get("ali-ccp-like"));
            Path file = dir.resolve("ali-ccp-like-" + rows + ".arrow");
            long cpu0 = cpuNanos();
            var w =
                    world.write(
                            file,
                            rows,
                            memory.root(),
                            IpcFormat.FILE,
                            ExposureWriter.DEFAULT_BATCH_ROWS,
                            threads);
            System.out.printf(
                    Locale.ROOT,
                    "generate: %,d rows in %.2f s = %,.0f rows/s (%d threads, %.1f MB written; %.2f s of it fsync+rename, %,.0f rows/s without); CTR %.4f, CVR %.5f%n",
                    w.rows(),
                    w.seconds(),
                    w.rowsPerSecond(),
                    threads,
                    w.bytes() / 1e6,
                    w.commitSeconds(),
                    w.rows() / (w.seconds() - w.commitSeconds()),
                    w.clicks() / (double) w.rows(),
                    w.conversions() / (double) Math.max(1, w.clicks()));
            double genCpu = (cpuNanos() - cpu0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "generate CPU: %.2f s of process CPU time = %,.0f rows per CPU-second (%d cores)%n",
                    genCpu,
                    rows / genCpu,
                    Runtime.getRuntime().availableProcessors());

            long bytes = Files.size(file);
            rawRead(file); // warm the page cache
            scan(file, memory, true);
            double bestScan = Double.MAX_VALUE;
            double bestView = Double.MAX_VALUE;
            double bestRaw = Double.MAX_VALUE;
            Scan last = null;
            for (int r = 0; r < reps; r++) {
                double t0 = System.nanoTime();
                rawRead(file);
                bestRaw = Math.min(bestRaw, (System.nanoTime() - t0) / 1e9);
                bestView = Math.min(bestView, scan(file, memory, false).seconds);
                last = scan(file, memory, true);
                bestScan = Math.min(bestScan, last.seconds);
            }
            System.out.printf(
                    Locale.ROOT,
                    "raw FileChannel read of the same %.1f MB: %.2f GB/s%n",
                    bytes / 1e6,
                    bytes / bestRaw / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "reader (load + validate every column, batch views): %,.0f rows/s, %.2f GB/s; ratio to raw %.2fx%n",
                    rows / bestView,
                    bytes / bestView / 1e9,
                    bestView / bestRaw);
            System.out.printf(
                    Locale.ROOT,
                    "reader + copy of labels and %d feature columns to int[]: %,.0f rows/s, %.2f GB/s; ratio to raw %.2fx (target <= 2x); best of %d%n",
                    last.features,
                    rows / bestScan,
                    bytes / bestScan / 1e9,
                    bestScan / bestRaw,
                    reps);
            System.out.printf(
                    Locale.ROOT,
                    "peak memory reading %,d rows: Arrow allocator %.1f MiB, JVM heap pools %.1f MiB%n",
                    rows,
                    last.allocatorPeak / 1048576.0,
                    last.heapPeak / 1048576.0);
            FormatComparison fc = compareFormats(file, memory, reps, 5);
            System.out.printf(
                    Locale.ROOT,
                    "checksum verification: Arrow scan %.3f CPU-s verified vs %.3f CPU-s not = %+.1f%% (Parquet %+.1f%%); best of %d%n",
                    fc.arrowVerifiedSeconds(),
                    fc.arrowUnverifiedSeconds(),
                    100 * fc.verifyCost(),
                    100 * fc.parquetVerifyCost(),
                    reps);
            System.out.printf(
                    Locale.ROOT,
                    "Parquet (%.1f MB, converted in %.2f CPU-s) scan: %,.0f rows per CPU-s vs Arrow IPC (%.1f MB) %,.0f rows per CPU-s = %.2fx the CPU time; Parquet cursor's Arrow allocator peak %.1f MiB%n",
                    fc.parquetBytes() / 1e6,
                    fc.parquetConvertSeconds(),
                    rows / fc.parquetVerifiedSeconds(),
                    fc.arrowBytes() / 1e6,
                    rows / fc.arrowVerifiedSeconds(),
                    fc.parquetOverArrow(),
                    fc.parquetAllocatorPeak() / 1048576.0);
            if (!keep) {
                Files.deleteIfExists(file);
            }
            if (bigRows > 0) {
                Path big = dir.resolve("ali-ccp-like-" + bigRows + ".arrow");
                var wb =
                        world.write(
                                big,
                                bigRows,
                                memory.root(),
                                IpcFormat.FILE,
                                ExposureWriter.DEFAULT_BATCH_ROWS,
                                threads);
                System.out.printf(
                        Locale.ROOT,
                        "generate: %,d rows in %.2f s = %,.0f rows/s (%.1f GB written; %.2f s of it fsync+rename)%n",
                        wb.rows(),
                        wb.seconds(),
                        wb.rowsPerSecond(),
                        wb.bytes() / 1e9,
                        wb.commitSeconds());
                Scan s = scan(big, memory, true);
                System.out.printf(
                        Locale.ROOT,
                        "peak memory reading %,d rows: Arrow allocator %.1f MiB, JVM heap pools %.1f MiB (scan %,.0f rows/s, %s)%n",
                        bigRows,
                        s.allocatorPeak / 1048576.0,
                        s.heapPeak / 1048576.0,
                        bigRows / s.seconds,
                        s.rows == bigRows ? "all rows seen" : "ROWS MISSING: " + s.rows);
                if (!keep) {
                    Files.deleteIfExists(big);
                }
                System.out.println("load average at end: " + loadAverage());
            }
        }
    }

    /** CPU time of the whole process (all threads, user + system), or 0 if unknown. */
    private static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime()
                : 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * One scan: time, rows, single-valued features read, peaks, and a checksum that keeps the JIT
     * honest.
     */
    public record Scan(
            double seconds,
            long rows,
            int features,
            long allocatorPeak,
            long heapPeak,
            long checksum,
            double cpuSeconds,
            double threadCpuSeconds) {}

    /**
     * Reads labels and single-valued features of every batch into int arrays, as a backend does.
     */
    public static Scan scan(Path file, Allocators memory, boolean copy) {
        return scan(file, memory, copy, ReadOptions.strict());
    }

    /**
     * {@link #scan(Path, Allocators, boolean)} of any exposure log (Arrow IPC, Parquet, folder),
     * read with {@code options}.
     */
    public static Scan scan(Path file, Allocators memory, boolean copy, ReadOptions options) {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long cpu0 = cpuNanos();
        long thread0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        ExposureSource source = ExposureSources.open(file, memory.root(), options);
        FeatureSchema schema = source.schema();
        int[] buf = new int[ExposureWriter.DEFAULT_BATCH_ROWS];
        long checksum = 0;
        long rows = 0;
        long peak;
        int features = 0;
        try (BatchCursor c = source.open()) {
            while (c.next()) {
                ExposureBatch b = c.batch();
                int n = b.size();
                rows += n;
                if (!copy) {
                    checksum += b.clicks().getInt(n - 1);
                    continue;
                }
                if (buf.length < n) {
                    buf = new int[n];
                }
                b.clicks().copyTo(0, buf, 0, n);
                checksum += buf[n - 1];
                b.conversions().copyTo(0, buf, 0, n);
                checksum += buf[n - 1];
                features = 0;
                for (int f = 0; f < schema.size(); f++) {
                    if (!schema.field(f).multiValued()) {
                        b.feature(f).copyTo(0, buf, 0, n);
                        checksum += buf[n >> 1];
                        features++;
                    }
                }
            }
            peak =
                    c instanceof ArrowBatchCursor a
                            ? a.peakBytes()
                            : c instanceof ParquetBatchCursor q ? q.peakBytes() : -1;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        double threadCpu =
                (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - thread0) / 1e9;
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return new Scan(seconds, rows, features, peak, heap, checksum, cpu, threadCpu);
    }

    /**
     * What verification and Parquet cost: best-of-{@code reps} scans (with the copy to {@code
     * int[]}) of an Arrow IPC file with and without checksum verification, and of the same rows
     * converted to Parquet (next to it, deleted afterwards) with and without verification. Times
     * are CPU seconds, which other processes' load on a shared machine does not inflate as it does
     * wall time: the scanning thread's (nanosecond resolution) for Arrow IPC, whose scan runs on
     * that thread alone, and the whole process's (Arrow's native decoder threads included, with the
     * kernel's 10 ms resolution) for Parquet. Each measure sums {@code inner} consecutive scans.
     */
    public record FormatComparison(
            double arrowVerifiedSeconds,
            double arrowUnverifiedSeconds,
            double parquetVerifiedSeconds,
            double parquetUnverifiedSeconds,
            long arrowBytes,
            long parquetBytes,
            double parquetConvertSeconds,
            long parquetAllocatorPeak) {
        /** Verification's extra time on an Arrow IPC scan, as a fraction (0.03 = 3 %). */
        public double verifyCost() {
            return arrowVerifiedSeconds / arrowUnverifiedSeconds - 1;
        }

        /** Verification's extra time on a Parquet scan, as a fraction. */
        public double parquetVerifyCost() {
            return parquetVerifiedSeconds / parquetUnverifiedSeconds - 1;
        }

        /** Parquet scan time over Arrow IPC scan time (both verified). */
        public double parquetOverArrow() {
            return parquetVerifiedSeconds / arrowVerifiedSeconds;
        }
    }

    /** Measures a {@link FormatComparison} on the Arrow IPC file {@code arrow}. */
    public static FormatComparison compareFormats(
            Path arrow, Allocators memory, int reps, int inner) throws IOException {
        Path parquet = arrow.resolveSibling(arrow.getFileName() + ".parquet");
        long t0 = cpuNanos();
        ParquetFiles.convert(arrow, parquet, memory);
        double convert = (cpuNanos() - t0) / 1e9;
        try {
            ReadOptions on = ReadOptions.strict().withVerifyChecksum(true);
            ReadOptions off = on.withVerifyChecksum(false);
            scan(arrow, memory, true, off); // warm up both formats and both paths
            scan(parquet, memory, true, on);
            double[] best = {
                Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE
            };
            long peak = 0;
            for (int r = 0; r < reps; r++) {
                // alternate, so that a change in the machine's load hits all four alike
                double[] sum = new double[4];
                for (int i = 0; i < inner; i++) {
                    sum[0] += scan(arrow, memory, true, on).threadCpuSeconds;
                    sum[1] += scan(arrow, memory, true, off).threadCpuSeconds;
                    Scan p = scan(parquet, memory, true, on);
                    sum[2] += p.cpuSeconds;
                    peak = Math.max(peak, p.allocatorPeak);
                    sum[3] += scan(parquet, memory, true, off).cpuSeconds;
                }
                for (int k = 0; k < 4; k++) {
                    best[k] = Math.min(best[k], sum[k] / inner);
                }
            }
            return new FormatComparison(
                    best[0],
                    best[1],
                    best[2],
                    best[3],
                    Files.size(arrow),
                    Files.size(parquet),
                    convert,
                    peak);
        } finally {
            Files.deleteIfExists(parquet);
        }
    }

    /** Reads the file's bytes through a FileChannel into one reused direct buffer. */
    public static long rawRead(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20);
        long total = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = ch.read(buf)) >= 0) {
                total += n;
                buf.clear();
            }
        }
        return total;
    }
}
