package org.causalcvr.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.causalcvr.api.DataException;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.experiments.config.Settings;
import org.causalcvr.experiments.config.SettingsFile;
import org.causalcvr.experiments.tune.SearchSpace;
import org.causalcvr.experiments.tune.Tuner;
import org.causalcvr.metrics.SpaceValidationScore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr tune}: random search with successive halving on validation data. */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        description =
                "Search an estimator's hyperparameters (random search with successive halving),"
                        + " ranked on validation data only, and write the chosen settings to a"
                        + " settings file that train, compare and sweep read with --settings.")
final class TuneCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--estimator",
            required = true,
            paramLabel = "NAME",
            description = "The estimator to tune.")
    String estimator;

    @Option(
            names = "--train",
            required = true,
            paramLabel = "FILE",
            description =
                    "Training data; give it once per fold, each paired with the --valid of the same"
                            + " position (cross-validation: every trial scores the mean over folds).")
    List<Path> train;

    @Option(
            names = "--valid",
            required = true,
            paramLabel = "FILE",
            description =
                    "Validation data the trials are ranked on (never the test data); once per"
                            + " --train.")
    List<Path> valid;

    @Option(
            names = "--space",
            paramLabel = "KEY=KIND(...)",
            description =
                    "A searched setting: key=loguniform(lo,hi), key=int(lo,hi) or"
                            + " key=choice(a,b,...) (repeatable); replaces the default space's key."
                            + " Default space: learning-rate, embedding-dim, L2 penalties, ipw-bound-pct"
                            + " and undersample-rate where declared.")
    List<String> space;

    @Option(
            names = "--only-space",
            description = "Search only the --space keys, not the default space.")
    boolean onlySpace;

    @Option(
            names = "--trials",
            defaultValue = "9",
            description = "Settings drawn at the first rung (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(
            names = "--min-epochs",
            defaultValue = "1",
            description = "Epochs of the first rung (default: ${DEFAULT-VALUE}).")
    int minEpochs;

    @Option(
            names = "--max-epochs",
            defaultValue = "9",
            description = "The most epochs a rung trains (default: ${DEFAULT-VALUE}).")
    int maxEpochs;

    @Option(
            names = "--eta",
            defaultValue = "3",
            description =
                    "Each rung keeps 1/eta of the trials and trains eta times the epochs (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(
            names = "--early-stopping",
            paramLabel = "SPACE[:METRIC]|none",
            defaultValue = "none",
            description =
                    "Also stop each training early on the validation data by this metric, e.g."
                            + " cvr-clicked:auc (default: ${DEFAULT-VALUE}).")
    String earlyStopping;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the draws and of every training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--seeds",
            defaultValue = "1",
            description =
                    "Seeds each trial trains (--seed, --seed + 1, ...); it scores the mean of their"
                            + " validation AUCs (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A setting held fixed (repeatable).")
    List<String> set;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description =
                    "The settings file to write (atomically); an existing one keeps its other"
                            + " estimators' entries.")
    Path out;

    @Option(names = "--json", description = "Print the search as JSON.")
    boolean json;

    @Mixin BackendOptions backendOptions;

    @Override
    public Integer call() {
        var runtime = Cvr.runtime(spec);
        if (backendOptions.epochs != null) {
            throw new ConfigException(
                    "Option --epochs: the tuner grows the epochs itself; use --min-epochs and"
                            + " --max-epochs");
        }
        SettingsFile existing;
        try {
            existing = Files.exists(out) ? SettingsFile.read(out) : SettingsFile.empty();
        } catch (DataException e) {
            // The search merges its entry into an existing file: it must be a settings file.
            throw new ConfigException(
                    "Option --out: "
                            + e.getMessage()
                            + "; tune adds its entry to an existing settings file, so name one or"
                            + " a new path");
        }
        SearchSpace given = SearchSpace.parse(space == null ? List.of() : space);
        SearchSpace searched =
                onlySpace
                        ? given
                        : SearchSpace.defaultFor(
                                        runtime.estimator(estimator).configSchema(),
                                        runtime.backend(backendOptions.backend).configSchema())
                                .with(given);
        var fixed = new LinkedHashMap<>(Settings.parsePairs(set, "--set"));
        for (String key : searched.dimensions().stream().map(d -> d.key()).toList()) {
            fixed.remove(key);
        }
        Optional<ValidationScore> stopping =
                earlyStopping.equalsIgnoreCase("none")
                        ? Optional.empty()
                        : Optional.of(SpaceValidationScore.parse(earlyStopping));
        var err = spec.commandLine().getErr();
        var tuner =
                new Tuner(
                        runtime,
                        backendOptions.backend,
                        backendOptions.settings(),
                        new ConsoleRunListener(!backendOptions.quiet && !json, err));
        Tuner.Result result;
        if (train.size() != valid.size()) {
            throw new ConfigException(
                    "Options --train and --valid come in pairs, one of each per fold: "
                            + train.size()
                            + " --train against "
                            + valid.size()
                            + " --valid");
        }
        try (Allocators memory = Allocators.create()) {
            var moreFolds = new ArrayList<Tuner.Fold>();
            for (int f = 0; f < train.size(); f++) {
                SplitWarnings.between(train.get(f), valid.get(f), err);
                if (f > 0) {
                    moreFolds.add(
                            new Tuner.Fold(
                                    DataFiles.open(train.get(f), memory),
                                    DataFiles.open(valid.get(f), memory)));
                }
            }
            result =
                    tuner.tune(
                            new Tuner.Request(
                                    estimator,
                                    fixed,
                                    searched,
                                    DataFiles.open(train.get(0), memory),
                                    DataFiles.open(valid.get(0), memory),
                                    stopping,
                                    trials,
                                    minEpochs,
                                    maxEpochs,
                                    eta,
                                    seed,
                                    seeds,
                                    moreFolds));
        }
        var folds = new StringBuilder();
        for (int f = 0; f < train.size(); f++) {
            folds.append(f == 0 ? "" : " ")
                    .append("--train ")
                    .append(train.get(f))
                    .append(" --valid ")
                    .append(valid.get(f));
        }
        String note =
                String.format(
                        Locale.ROOT,
                        "%s: chosen by cvr tune --estimator %s %s%s --trials %d"
                                + " --min-epochs %d --max-epochs %d --eta %d --seed %d --seeds %d%s%s"
                                + " --only-space --space %s; validation %s = %.4f",
                        estimator,
                        estimator,
                        folds,
                        backendOptions.preset == null ? "" : " --preset " + backendOptions.preset,
                        trials,
                        minEpochs,
                        maxEpochs,
                        eta,
                        seed,
                        seeds,
                        earlyStopping.equalsIgnoreCase("none")
                                ? ""
                                : " --early-stopping " + earlyStopping,
                        set == null
                                ? ""
                                : set.stream().map(x -> " --set " + x).reduce("", String::concat),
                        String.join(" --space ", searched.text()),
                        result.metric(),
                        result.score());
        String notes =
                existing.note().isEmpty()
                        ? note
                        : existing.note()
                                .lines()
                                .filter(l -> !l.startsWith(estimator + ":"))
                                .reduce((a, b) -> a + "\n" + b)
                                .map(s -> s + "\n" + note)
                                .orElse(note);
        existing.with(estimator, result.chosen(), true, notes).write(out);
        var console = spec.commandLine().getOut();
        if (json) {
            var root = new LinkedHashMap<String, Object>();
            root.put("estimator", estimator);
            root.put("chosen", result.chosen());
            root.put("score", result.score());
            root.put("metric", result.metric());
            var rows = new ArrayList<Map<String, Object>>();
            for (Tuner.Trial t : result.trials()) {
                var row = new LinkedHashMap<String, Object>();
                row.put("trial", t.trial());
                row.put("rung", t.rung());
                row.put("epochs", t.epochs());
                row.put("settings", t.settings());
                row.put("score", t.score());
                t.failure().ifPresent(f -> row.put("failure", f));
                rows.add(row);
            }
            root.put("trials", rows);
            root.put("settingsFile", out.toString());
            console.println(org.causalcvr.experiments.report.Json.write(root));
        } else {
            console.printf(Locale.ROOT, "Validation %s by trial:%n", result.metric());
            for (Tuner.Trial t : result.trials()) {
                console.printf(
                        Locale.ROOT,
                        "  rung %d, %2d epoch(s), trial %2d: %s %s%n",
                        t.rung(),
                        t.epochs(),
                        t.trial(),
                        Double.isNaN(t.score())
                                ? "failed: " + t.failure().orElse("no score")
                                : String.format(Locale.ROOT, "%.4f", t.score()),
                        t.settings());
            }
            console.printf(
                    Locale.ROOT,
                    "Chosen for %s (validation %.4f): %s%nWritten to %s%n",
                    estimator,
                    result.score(),
                    result.chosen(),
                    out);
        }
        console.flush();
        return 0;
    }
}
