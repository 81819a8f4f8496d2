package org.causalcvr.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options that choose and configure the training backend, shared by every command that trains. */
final class BackendOptions {
    /** The backend the tool uses unless {@code --backend} names another. */
    static final String DEFAULT_BACKEND = "djl";

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            defaultValue = DEFAULT_BACKEND,
            description =
                    "The training backend, by its registered name (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(
            names = "--preset",
            paramLabel = "PRESET",
            description =
                    "Network preset: paper-ali-ccp, paper-production, esmm-official, small or mf"
                            + " (default: paper-ali-ccp; the demo's: esmm-official).")
    String preset;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            description = "Passes over the training data per stage.")
    Integer epochs;

    @Option(
            names = "--batch-size",
            paramLabel = "ROWS",
            description = "Rows per training batch (default: the preset's).")
    Integer batchSize;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    /** The backend settings these options set, before {@code --set} pairs are added. */
    Map<String, String> settings() {
        var out = new LinkedHashMap<String, String>();
        if (preset != null) {
            out.put("preset", preset);
        }
        if (epochs != null) {
            out.put("epochs", Integer.toString(epochs));
        }
        if (batchSize != null) {
            out.put("batch-size", Integer.toString(batchSize));
        }
        return out;
    }
}
