package org.causalcvr.bench.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;

/**
 * The cost of a data scan against a raw read of the same bytes: an {@code ali-ccp-like} file of
 * {@code rows} rows (seed 11, cached in {@code work}) scanned through the reader with validation
 * and copied as a backend would, best of three after a warm-up, both from the page cache.
 */
public final class ScanBench {
    private ScanBench() {}

    /** The measurements, in a stable order. */
    public static Map<String, Object> run(Path work, long rows) {
        var result = new LinkedHashMap<String, Object>();
        try (Allocators memory = Allocators.create()) {
            Files.createDirectories(work);
            Path file = work.resolve("scan-ali-ccp-like-" + rows + ".arrow");
            if (!Files.isRegularFile(file)) {
                SyntheticWorld.build(Presets.get("ali-ccp-like").withSeed(11))
                        .write(file, rows, memory);
            }
            DataBench.scan(file, memory, true); // warm the page cache and the JIT
            DataBench.rawRead(file);
            double best = Double.MAX_VALUE;
            double bestRaw = Double.MAX_VALUE;
            DataBench.Scan scan = null;
            for (int rep = 0; rep < 3; rep++) {
                scan = DataBench.scan(file, memory, true);
                best = Math.min(best, scan.seconds());
                long t0 = System.nanoTime();
                DataBench.rawRead(file);
                bestRaw = Math.min(bestRaw, (System.nanoTime() - t0) / 1e9);
            }
            long bytes = Files.size(file);
            result.put("measure", "scan");
            result.put("rows", scan.rows());
            result.put("features", scan.features());
            result.put("bytes", bytes);
            result.put("readerSeconds", best);
            result.put("rawSeconds", bestRaw);
            result.put("readerRowsPerSecond", scan.rows() / best);
            result.put("readerGBps", bytes / best / 1e9);
            result.put("rawGBps", bytes / bestRaw / 1e9);
            result.put("readerOverRaw", best / bestRaw);
            result.put("allocatorPeakMiB", scan.allocatorPeak() / 1048576.0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
