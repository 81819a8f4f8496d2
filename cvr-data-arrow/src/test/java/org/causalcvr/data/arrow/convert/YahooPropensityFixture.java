package org.causalcvr.data.arrow.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.causalcvr.data.arrow.Allocators;

/**
 * The Yahoo!-R3-format folder the naive-Bayes propensity tests convert: 8 users x 5 songs; 8
 * self-selected ratings (levels 1..5: 2, 2, 1, 1, 2; 3 of them >= 4) and all 40 pairs rated in the
 * random file, so 5-5-90 appends 2 random ratings to training.
 */
final class YahooPropensityFixture {
    private YahooPropensityFixture() {}

    /** Writes the fixture under {@code dir}/yahoo and returns that folder. */
    static Path write(Path dir) throws IOException {
        Path folder = dir.resolve("yahoo");
        Files.createDirectories(folder);
        Files.writeString(
                folder.resolve(YahooR3Converter.TRAIN_FILE),
                String.join(
                        "\n", "1\t1\t5", "1\t2\t1", "2\t3\t4", "3\t1\t2", "4\t5\t3", "5\t2\t5",
                        "6\t4\t1", "8\t5\t2", ""));
        List<String> random = new ArrayList<>();
        for (int u = 1; u <= 8; u++) {
            for (int i = 1; i <= 5; i++) {
                random.add(u + "\t" + i + "\t" + (1 + (3 * u + i) % 5));
            }
        }
        Files.writeString(folder.resolve(YahooR3Converter.TEST_FILE), String.join("\n", random));
        return folder;
    }

    /**
     * Writes the fixture under {@code dir} and converts it into {@code dir}/out with protocol
     * 5-5-90 (threshold 4, seed 1) and the propensity {@code estimate}.
     */
    static CoatConverter.Result convert(
            Path dir, CoatConverter.PropensityEstimate estimate, Allocators memory)
            throws IOException {
        var options =
                new CoatConverter.Options(
                        4, CoatConverter.Protocol.FIVE_FIVE_NINETY, 1, 0.0, estimate);
        return YahooR3Converter.convert(write(dir), dir.resolve("out"), options, memory);
    }

    /** Every row of the converted Arrow file {@code file}. */
    static org.causalcvr.api.data.ArrayExposureBatch read(Path file, Allocators memory) {
        return org.causalcvr.data.arrow.TestBatches.readAll(
                org.causalcvr.data.arrow.ArrowExposureSource.file(file, memory));
    }
}
