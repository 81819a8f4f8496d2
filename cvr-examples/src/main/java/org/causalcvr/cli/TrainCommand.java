package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.io.OutputLock;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.run.RunFailedException;
import org.causalcvr.metrics.SpaceValidationScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr train}: trains one estimator and saves the model with its provenance. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description =
                "Train an estimator on an Arrow exposure log and save the model (with its provenance).")
final class TrainCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimator",
            required = true,
            paramLabel = "NAME",
            description = "Estimator name (see 'cvr estimators').")
    String estimator;

    @Option(
            names = "--train",
            required = true,
            paramLabel = "FILE",
            description = "Training data (Arrow IPC).")
    Path train;

    @Option(
            names = "--valid",
            paramLabel = "FILE",
            description = "Validation data for early stopping.")
    Path valid;

    @Option(
            names = "--early-stopping",
            paramLabel = "SPACE[:METRIC]",
            defaultValue = "cvr-clicked:auc",
            description =
                    "Validation metric for early stopping, e.g. cvr-clicked:auc or ctcvr:logloss (default: ${DEFAULT-VALUE}).")
    String earlyStopping;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Folder to save the model to (atomically).")
    Path model;

    @Option(
            names = "--checkpoints",
            paramLabel = "DIR",
            description = "Write checkpoints here and resume from the latest one.")
    Path checkpoints;

    @Option(
            names = "--seed",
            paramLabel = "SEED",
            description = "Seed of initialisation, sampling and shuffling.")
    Long seed;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "An estimator or backend setting (repeatable).")
    List<String> set;

    @Option(
            names = "--settings",
            paramLabel = "FILE|none",
            description =
                    "A settings file (cvr tune writes one): the estimator's entry, under --set,"
                            + " --seed and explicit options; none: the estimator's own defaults.")
    String settingsFile;

    @Mixin BackendOptions backendOptions;

    @Override
    public Integer call() {
        CvrRuntime runtime = Cvr.runtime(spec);
        EstimatorFactory factory = runtime.estimator(estimator);
        BackendFactory backendFactory = runtime.backend(backendOptions.backend);
        Settings settings =
                Settings.route(set, factory.configSchema(), backendFactory.configSchema());
        var explicit = Comparisons.explicitKeys(backendOptions, set);
        if (seed != null) {
            explicit.add("seed");
        }
        var fromFile =
                Comparisons.settingsFile(settingsFile)
                        .map(
                                f ->
                                        f.route(
                                                estimator,
                                                factory.configSchema(),
                                                backendFactory.configSchema(),
                                                explicit,
                                                settingsFile))
                        .orElse(new Settings(Map.of(), Map.of()));
        var estimatorSettings = new LinkedHashMap<>(fromFile.estimator());
        estimatorSettings.putAll(settings.estimator());
        var backendSettings = new LinkedHashMap<>(fromFile.backend());
        backendSettings.putAll(backendOptions.settings());
        backendSettings.putAll(settings.backend());
        if (seed != null) {
            backendSettings.put("seed", Long.toString(seed));
        }
        Estimator est = factory.create(estimatorSettings);
        var out = spec.commandLine().getOut();
        try (Allocators memory = Allocators.create();
                Backend backend = backendFactory.create(backendSettings);
                // A second run into the same --model is refused while this one runs.
                OutputLock modelLock = OutputLock.acquire(model, "model folder");
                ProgressListener listener =
                        new ProgressListener(estimator, !backendOptions.quiet)) {
            backend.requireSavable(model); // before training, never after
            ExposureSource trainSource = DataFiles.open(train, memory);
            if (valid != null) {
                // Early stopping on another world's rows chooses an epoch by noise: say so.
                SplitWarnings.between(train, valid, spec.commandLine().getErr());
            }
            Optional<ExposureSource> validSource =
                    Optional.ofNullable(valid).map(v -> DataFiles.open(v, memory));
            Optional<ValidationScore> score =
                    validSource.map(v -> SpaceValidationScore.parse(earlyStopping));
            var request =
                    new TrainingRequest(
                            est,
                            trainSource,
                            validSource,
                            score,
                            Optional.ofNullable(checkpoints),
                            listener);
            long start = System.nanoTime();
            try (TrainedModel trained = backend.train(request)) {
                listener.close();
                trained.save(model);
                out.printf(
                        Locale.ROOT,
                        "Trained %s on %s in %.1f s (%s); model saved to %s%n",
                        estimator,
                        train,
                        (System.nanoTime() - start) / 1e9,
                        backend.device(),
                        model);
                String losses = listener.lossSummary();
                if (!losses.isEmpty()) {
                    out.println("Loss (first report -> last): " + losses);
                }
                Map<String, Double> statistics = trained.trainingStatistics();
                if (statistics.containsKey("clippedStepShare")) {
                    // Whether the bound binds is what a user choosing it needs to see.
                    out.printf(
                            Locale.ROOT,
                            "Gradient clip: %.1f%% of steps rescaled (largest norm %.3g)%n",
                            100 * statistics.get("clippedStepShare"),
                            statistics.get("largestGradientNorm"));
                }
            } catch (ConfigException | DataException e) {
                throw e;
            } catch (CvrException e) {
                throw new RunFailedException(e.getMessage(), e);
            }
        }
        return 0;
    }
}
