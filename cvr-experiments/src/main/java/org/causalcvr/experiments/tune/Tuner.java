package org.causalcvr.experiments.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.run.Arm;
import org.causalcvr.experiments.run.ExperimentRunner;
import org.causalcvr.experiments.run.ModelEvaluation;
import org.causalcvr.experiments.run.Run;
import org.causalcvr.experiments.run.RunListener;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.MetricValue;

/**
 * Hyperparameter search for one estimator by random search with successive halving (Jamieson and
 * Talwalkar, "Non-stochastic best arm identification and hyperparameter optimization", AISTATS
 * 2016), selecting on VALIDATION data only; the test data is never read.
 *
 * <p>{@code trials} settings are drawn from the {@link SearchSpace} with a generator seeded by
 * {@code seed}. Rung 0 trains every one for {@code minEpochs} epochs; each rung keeps the best
 * {@code max(1, ⌊n/η⌋)} by the validation AUC in the primary space (every exposure against drawn
 * labels with ground truth, else clicked exposures) and multiplies the epochs by η, capped at
 * {@code maxEpochs}; the search ends when one trial is left or a rung ran at {@code maxEpochs}. The
 * winner is the best (settings, epochs) pair among the trials of the last rung, each at any rung it
 * ran: a trial that scored better at an earlier rung's epochs than at its last is chosen with those
 * fewer epochs (early stopping at the rungs' epochs, which the train and compare commands, given no
 * validation data, can repeat; the last rung's epochs alone would always pick {@code maxEpochs}). A
 * run that collapses (constant predictions) ranks last. A trial trains with the backend seeds
 * {@code seed}, {@code seed + 1}, ..., {@code seed + seeds - 1} and scores the mean of their
 * validation AUCs (a small validation set judges one seed's luck as much as the settings; the mean
 * over {@code k} seeds cuts that noise by √k), failing when any of them fails; so the same request
 * gives the same result. With {@code earlyStopping}, each training also stops early on the
 * validation data as the backend's {@code patience} says. With {@link Request#moreFolds()}, every
 * training is repeated on each fold's training data and scored on that fold's validation data, and
 * a trial's score is the mean over folds and seeds (cross-validation for small validation sets).
 */
public final class Tuner {
    private final CvrRuntime runtime;
    private final String backend;
    private final Map<String, String> backendSettings;
    private final RunListener listener;

    /**
     * @param backend the registered backend name
     * @param backendSettings its fixed settings (preset...), without {@code seed} or {@code epochs}
     */
    public Tuner(
            CvrRuntime runtime,
            String backend,
            Map<String, String> backendSettings,
            RunListener listener) {
        this.runtime = Objects.requireNonNull(runtime);
        this.backend = Objects.requireNonNull(backend);
        this.backendSettings = Map.copyOf(backendSettings);
        this.listener = Objects.requireNonNull(listener);
        if (backendSettings.containsKey("seed") || backendSettings.containsKey("epochs")) {
            throw new ConfigException(
                    "The tuner sets the backend's seed and epochs itself; use --seed and"
                            + " --min-epochs/--max-epochs");
        }
    }

    /**
     * What to tune and on what.
     *
     * @param estimator the registered estimator name
     * @param fixed settings of the estimator or backend held fixed (not searched)
     * @param space the searched settings
     * @param train training data
     * @param validation the data trials are ranked on (never the test data)
     * @param earlyStopping the score that stops each training early on {@code validation}, if any
     * @param trials settings drawn at rung 0, at least 1
     * @param minEpochs epochs of rung 0, at least 1
     * @param maxEpochs the most epochs a rung trains, at least {@code minEpochs}
     * @param eta the factor by which each rung cuts the trials and grows the epochs, at least 2
     * @param seed the seed of the draws and the first seed of every trial
     * @param seeds how many seeds ({@code seed}, {@code seed + 1}, ...) each trial trains and
     *     averages, at least 1
     * @param moreFolds further training and validation pairs (cross-validation folds): each trial
     *     trains and validates on every fold, {@code train}/{@code validation} first, and scores
     *     the mean over folds and seeds; empty for one fold
     */
    public record Request(
            String estimator,
            Map<String, String> fixed,
            SearchSpace space,
            ExposureSource train,
            ExposureSource validation,
            Optional<ValidationScore> earlyStopping,
            int trials,
            int minEpochs,
            int maxEpochs,
            int eta,
            long seed,
            int seeds,
            List<Fold> moreFolds) {
        public Request {
            fixed = Map.copyOf(fixed);
            moreFolds = List.copyOf(moreFolds);
            if (trials < 1) {
                throw new ConfigException(
                        "Option --trials = " + trials + " is out of range [1, +inf)");
            }
            if (minEpochs < 1 || maxEpochs < minEpochs) {
                throw new ConfigException(
                        "Options --min-epochs "
                                + minEpochs
                                + " and --max-epochs "
                                + maxEpochs
                                + " need 1 <= min <= max");
            }
            if (eta < 2) {
                throw new ConfigException("Option --eta = " + eta + " is out of range [2, +inf)");
            }
            if (seeds < 1) {
                throw new ConfigException(
                        "Option --seeds = " + seeds + " is out of range [1, +inf)");
            }
        }

        /** Every fold, the request's own training and validation data first. */
        public List<Fold> folds() {
            var all = new ArrayList<Fold>();
            all.add(new Fold(train, validation));
            all.addAll(moreFolds);
            return all;
        }
    }

    /**
     * One training and validation pair of a cross-validated search: for example 5-5-90 with its two
     * 5% slices in both roles ({@code cvr convert coat --fold 2}), so that each trial is judged on
     * twice the validation ratings. The test data belongs to no fold.
     */
    public record Fold(ExposureSource train, ExposureSource validation) {}

    /**
     * One training of the search.
     *
     * @param trial the trial's index among the draws
     * @param rung the rung (0 first)
     * @param epochs the epochs it trained
     * @param settings the drawn settings
     * @param score its validation AUC, the mean over the request's seeds (NaN when a run failed)
     * @param failure why a run failed, if one did
     */
    public record Trial(
            int trial,
            int rung,
            int epochs,
            Map<String, String> settings,
            double score,
            Optional<String> failure) {
        public Trial {
            // In draw order, so the settings file written from them has the same bytes each run
            // (Map.copyOf's order changes from one JVM to the next).
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }
    }

    /**
     * The search's outcome.
     *
     * @param estimator the tuned estimator
     * @param chosen every setting of the winner: the fixed ones, the drawn ones and {@code epochs}
     * @param score the winner's validation AUC at its last rung
     * @param trials every training, in the order they ran
     * @param metric what the score is, e.g. {@code cvr-exposure/auc on validation}
     */
    public record Result(
            String estimator,
            Map<String, String> chosen,
            double score,
            List<Trial> trials,
            String metric) {
        public Result {
            chosen = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(chosen));
            trials = List.copyOf(trials);
        }
    }

    /** Runs the search; fails before any training on an unknown key or a bad fixed setting. */
    public Result tune(Request request) {
        ConfigSchema estimatorSchema = runtime.estimator(request.estimator()).configSchema();
        ConfigSchema backendSchema = runtime.backend(backend).configSchema();
        for (String key : request.space().dimensions().stream().map(Dimension::key).toList()) {
            requireDeclared(key, "--space", estimatorSchema, backendSchema, request.estimator());
        }
        for (String key : request.fixed().keySet()) {
            requireDeclared(key, "--set", estimatorSchema, backendSchema, request.estimator());
        }
        var random = new SplittableRandom(request.seed());
        var drawn = new ArrayList<Map<String, String>>();
        for (int i = 0; i < request.trials(); i++) {
            drawn.add(request.space().draw(random));
        }
        // Every draw must be a valid setting before hours of training.
        for (var settings : drawn) {
            arm(request, settings, request.minEpochs(), estimatorSchema, backendSchema);
        }
        var all = new ArrayList<Trial>();
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) {
            alive.add(i);
        }
        int epochs = request.minEpochs();
        String metric = "";
        List<Trial> rung;
        for (int r = 0; ; r++) {
            rung = new ArrayList<>();
            for (int i : alive) {
                Arm arm = arm(request, drawn.get(i), epochs, estimatorSchema, backendSchema);
                List<Run> runs = train(arm, request);
                String space =
                        ModelEvaluation.primarySpace(runs.get(0).report().hasGroundTruth()).label();
                metric = space + "/auc on " + validationDescription(request);
                Optional<String> failure =
                        runs.stream().map(Run::failure).flatMap(Optional::stream).findFirst();
                double score =
                        failure.isPresent()
                                ? Double.NaN
                                : runs.stream()
                                        .mapToDouble(run -> auc(run, space))
                                        .average()
                                        .orElse(Double.NaN);
                var trial = new Trial(i, r, epochs, drawn.get(i), score, failure);
                rung.add(trial);
                all.add(trial);
            }
            rung.sort(BEST_FIRST);
            if (rung.size() == 1 || epochs >= request.maxEpochs()) {
                break;
            }
            int keep = Math.max(1, rung.size() / request.eta());
            alive = rung.subList(0, keep).stream().map(Trial::trial).sorted().toList();
            epochs = (int) Math.min(request.maxEpochs(), (long) epochs * request.eta());
        }
        var finalists = rung.stream().map(Trial::trial).collect(Collectors.toSet());
        Trial best =
                all.stream()
                        .filter(t -> finalists.contains(t.trial()))
                        .sorted(BEST_FIRST.thenComparingInt(Trial::epochs))
                        .findFirst()
                        .orElseThrow();
        var chosen = new LinkedHashMap<String, String>(backendSettings);
        chosen.putAll(request.fixed());
        chosen.putAll(best.settings());
        chosen.put("epochs", Integer.toString(best.epochs()));
        return new Result(request.estimator(), chosen, best.score(), all, metric);
    }

    /**
     * What a trial's score averages over: the validation data of every fold, and how many seeds and
     * folds, e.g. {@code v1.arrow and v2.arrow (mean of 2 seeds x 2 folds)}.
     */
    private static String validationDescription(Request request) {
        var averaged = new ArrayList<String>();
        if (request.seeds() > 1) {
            averaged.add(request.seeds() + " seeds");
        }
        if (request.folds().size() > 1) {
            averaged.add(request.folds().size() + " folds");
        }
        return request.folds().stream()
                        .map(f -> f.validation().description())
                        .collect(Collectors.joining(" and "))
                + (averaged.isEmpty() ? "" : " (mean of " + String.join(" x ", averaged) + ")");
    }

    /** Higher score first; a failed (NaN) run last; ties by trial index, so ranks are stable. */
    private static final Comparator<Trial> BEST_FIRST =
            Comparator.comparing((Trial t) -> Double.isNaN(t.score()))
                    .thenComparing(Comparator.comparingDouble(Trial::score).reversed())
                    .thenComparingInt(Trial::trial);

    /** The validation AUC of one run in {@code space} (NaN when the report lacks it). */
    private static double auc(Run run, String space) {
        return run.report().values().stream()
                .filter(v -> v.space().equals(space))
                .filter(v -> v.metric().equals("auc"))
                .mapToDouble(MetricValue::value)
                .findFirst()
                .orElse(Double.NaN);
    }

    /**
     * Trains {@code arm} with each of the request's seeds on each fold and evaluates it on that
     * fold's validation data; the runs fold by fold, seed by seed.
     */
    private List<Run> train(Arm arm, Request request) {
        var seeds = new ArrayList<Long>();
        for (int k = 0; k < request.seeds(); k++) {
            seeds.add(request.seed() + k);
        }
        var runs = new ArrayList<Run>();
        for (Fold fold : request.folds()) {
            var runner =
                    new ExperimentRunner(
                            runtime,
                            backend,
                            backendSettings,
                            listener,
                            request.earlyStopping().map(s -> fold.validation()),
                            request.earlyStopping());
            runs.addAll(
                    runner.run(
                            List.of(arm),
                            fold.train(),
                            fold.validation(),
                            seeds,
                            EvaluationOptions.defaults(),
                            false));
        }
        return runs;
    }

    /** The arm of one trial: each setting routed to the schema that declares it. */
    private Arm arm(
            Request request,
            Map<String, String> drawn,
            int epochs,
            ConfigSchema estimatorSchema,
            ConfigSchema backendSchema) {
        var all = new LinkedHashMap<>(request.fixed());
        all.putAll(drawn);
        var est = new LinkedHashMap<String, String>();
        var back = new LinkedHashMap<String, String>();
        all.forEach(
                (k, v) -> {
                    if (estimatorSchema.key(k).isPresent()) {
                        est.put(k, v);
                    }
                    if (backendSchema.key(k).isPresent()) {
                        back.put(k, v);
                    }
                });
        back.put("epochs", Integer.toString(epochs));
        String label = request.estimator() + " " + drawn + " " + epochs + " epoch(s)";
        var arm = new Arm(label, request.estimator(), est, back);
        runtime.estimator(arm.estimator()).create(arm.settings());
        var withSeed = new LinkedHashMap<>(backendSettings);
        withSeed.putAll(back);
        withSeed.put("seed", Long.toString(request.seed()));
        runtime.backend(backend).create(withSeed).close();
        return arm;
    }

    private static void requireDeclared(
            String key,
            String option,
            ConfigSchema estimator,
            ConfigSchema backend,
            String estimatorName) {
        if (key.equals("seed") || key.equals("epochs")) {
            throw new ConfigException(
                    "Option "
                            + option
                            + " '"
                            + key
                            + "': the tuner sets it (--seed, --max-epochs)");
        }
        if (estimator.key(key).isEmpty() && backend.key(key).isEmpty()) {
            throw new ConfigException(
                    "Option "
                            + option
                            + " names '"
                            + key
                            + "', which neither "
                            + estimatorName
                            + " nor the backend declares");
        }
    }
}
