package org.causalcvr.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.data.arrow.synth.WorldConfig;
import org.causalcvr.experiments.run.IdentifiedSource;

/**
 * Train and test files drawn from one synthetic world: disjoint row ranges of the same world, so
 * both are samples of one population. Files are cached by a name that encodes the world and the
 * rows, so a second run reuses them.
 */
final class Worlds {
    private Worlds() {}

    /**
     * The cached files of a world's train and test rows.
     *
     * @param key the world's identity: a hash of its full description, its seed and confounding
     * @param trainRows rows {@code [0, trainRows)} are the training file
     * @param testRows rows {@code [trainRows, trainRows + testRows)} are the test file
     */
    record TrainTest(
            Path train,
            Path test,
            SyntheticWorld world,
            String key,
            long trainRows,
            long testRows) {

        /** The training file, named by the world and its row range in provenance and reports. */
        ExposureSource train(Allocators memory) {
            return identified(train, memory, 0, trainRows);
        }

        /** The test file, named by the world and its row range in provenance and reports. */
        ExposureSource test(Allocators memory) {
            return identified(test, memory, trainRows, trainRows + testRows);
        }

        /**
         * Rows {@code [firstRow, firstRow + rows)} of the same world, cached in {@code folder}: a
         * held-out sample (validation) disjoint from the train and test rows when it starts after
         * them.
         */
        ExposureSource heldOut(
                long firstRow, long rows, Path folder, Allocators memory, boolean progress) {
            Path file =
                    folder.resolve("world-" + key + "-rows-" + firstRow + "-" + rows + ".arrow");
            write(world, file, firstRow, rows, memory, progress, "generate validation");
            return identified(file, memory, firstRow, firstRow + rows);
        }

        private ExposureSource identified(Path file, Allocators memory, long from, long to) {
            String range = "[" + from + ", " + to + ")";
            return IdentifiedSource.of(
                    DataFiles.open(file, memory),
                    "synthetic world "
                            + key
                            + " (seed "
                            + world.config().seed()
                            + "), rows "
                            + range
                            + ", cached in "
                            + file,
                    "world-" + key + "-rows-" + from + "-" + to);
        }
    }

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
        return new TrainTest(train, test, world, key, trainRows, testRows);
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
