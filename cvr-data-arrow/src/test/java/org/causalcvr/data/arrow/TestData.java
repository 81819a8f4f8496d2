package org.causalcvr.data.arrow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.MultiValuedArrays;

/** Small hand-made logs and the location of the shipped real data. */
public final class TestData {
    private TestData() {}

    static ExposureLogSchema schema() {
        return new ExposureLogSchema(
                new FeatureSchema(
                        List.of(
                                FeatureField.single("user", FieldRole.USER, 10),
                                FeatureField.single("item", FieldRole.ITEM, 20),
                                FeatureField.multi("hist", FieldRole.USER, 5)),
                        true,
                        true),
                Set.of("hist"));
    }

    static ArrayExposureBatch batch() {
        FeatureSchema s = schema().features();
        return new ArrayExposureBatch(
                s,
                new int[] {1, 0, 1, 0},
                new int[] {1, 0, 0, 0},
                new int[][] {{1, 2, 3, 9}, {0, 19, 5, 7}, null},
                new MultiValuedArrays[] {
                    null,
                    null,
                    new MultiValuedArrays(
                            new int[] {0, 2, 2, 3, 5},
                            new int[] {1, 4, 0, 2, 3},
                            new float[] {0.5f, 1f, 2f, 3f, 4f})
                },
                new long[] {7, 7, 8, 9},
                new float[] {0.5f, 0.25f, 1f, 0.125f},
                new float[] {0.1f, 0f, 0.9f, 1f});
    }

    /**
     * A real data folder: {@code data/<name>} in the repository (when a copy is carried) or {@code
     * shared/data/<name>} next to it, found by walking up from the working directory.
     */
    public static Path realData(String name) {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            for (Path candidate :
                    List.of(
                            dir.resolve("data").resolve(name),
                            dir.resolve("shared/data").resolve(name))) {
                if (Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "Real data folder '" + name + "' not found above " + Path.of("").toAbsolutePath());
    }
}
