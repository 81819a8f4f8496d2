package org.causalcvr.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.data.arrow.synth.WorldConfig;

/**
 * Train and test files drawn from one synthetic world: disjoint row ranges of the same world, so
 * both are samples of one population. Files are cached by a name that encodes the world and the
 * rows, so a second run reuses them.
 */
final class Worlds {
    private Worlds() {}

    record TrainTest(Path train, Path test, SyntheticWorld world) {}

    static TrainTest trainTest(
            WorldConfig config,
            long trainRows,
            long testRows,
            Path folder,
            Allocators memory,
            boolean progress) {
        SyntheticWorld world = SyntheticWorld.build(config);
        String key =
                Long.toHexString(stableHash(config.toString()))
                        + "-s"
                        + config.seed()
                        + "-g"
                        + String.format(Locale.ROOT, "%.2f", config.confounding());
        Path train = folder.resolve("world-" + key + "-train-" + trainRows + ".arrow");
        Path test =
                folder.resolve(
                        "world-" + key + "-test-" + testRows + "-from-" + trainRows + ".arrow");
        write(world, train, 0, trainRows, memory, progress, "generate train");
        write(world, test, trainRows, testRows, memory, progress, "generate test");
        return new TrainTest(train, test, world);
    }

    /** A hash of the world's full description that is the same in every JVM. */
    private static long stableHash(String text) {
        var crc = new java.util.zip.CRC32();
        crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static void write(
            SyntheticWorld world,
            Path file,
            long firstRow,
            long rows,
            Allocators memory,
            boolean progress,
            String task) {
        if (Files.isRegularFile(file)) {
            return;
        }
        if (!progress) {
            world.write(file, firstRow, rows, memory, done -> {});
            return;
        }
        try (ProgressBar bar =
                new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(rows)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(500)
                        .showSpeed()
                        .build()) {
            world.write(file, firstRow, rows, memory, bar::stepTo);
            bar.stepTo(rows);
        }
    }
}
