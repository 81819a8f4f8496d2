package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.experiments.predict.PredictionFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr predict}: pCTR, pCVR and pCTCVR for every row of a file. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description =
                "Write pCTR, pCVR and pCTCVR for every row of an Arrow exposure log (CSV if the output ends in .csv, else a compact binary file), atomically.")
final class PredictCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A model saved by 'cvr train'.")
    Path model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "Rows to score (Arrow IPC).")
    Path data;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Predictions file (.csv or binary).")
    Path out;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            defaultValue = BackendOptions.DEFAULT_BACKEND,
            description = "The backend that saved the model (default: ${DEFAULT-VALUE}).")
    String backend;

    @Override
    public Integer call() {
        CvrRuntime runtime = Cvr.runtime(spec);
        try (Allocators memory = Allocators.create();
                Backend backend = runtime.backend(this.backend).create(Map.of());
                TrainedModel trained = backend.load(model)) {
            long rows = PredictionFiles.score(trained, DataFiles.open(data, memory), out);
            spec.commandLine().getOut().printf("Wrote %,d predictions to %s%n", rows, out);
        }
        return 0;
    }
}
