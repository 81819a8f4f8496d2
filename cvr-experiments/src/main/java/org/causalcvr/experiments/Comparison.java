package org.causalcvr.experiments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.experiments.report.ComparisonReport;
import org.causalcvr.experiments.run.Arm;
import org.causalcvr.experiments.run.ExperimentRunner;
import org.causalcvr.experiments.run.RunListener;
import org.causalcvr.metrics.EvaluationOptions;

/**
 * A comparison of estimators over seeds, described step by step and then run: the paper's table 3
 * for any estimators, data and backend the plugins provide.
 *
 * <pre>{@code
 * CvrRuntime runtime = CvrRuntime.load();
 * Comparison.of(runtime)
 *         .estimators("base", "multi-ipw", "multi-dr")
 *         .seeds(1, 2)
 *         .backend("djl", Map.of("preset", "small", "epochs", "1"))
 *         .train(trainSource)
 *         .test(testSource)
 *         .run()
 *         .writeReport(Path.of("report"));
 * }</pre>
 *
 * <p>A {@code Comparison} is immutable: every method returns a new one, so a base description can
 * be shared by several comparisons. {@link #run()} trains each arm with each seed on a fresh
 * backend (its {@code seed} setting is the run's seed), evaluates every model on the test source in
 * every evaluation space the data allows, and returns an immutable {@link ComparisonReport}.
 *
 * <p>Names are checked before any training: an unknown estimator or backend, a bad setting, or a
 * {@link #set} key that neither an estimator nor the backend declares fails with a {@link
 * org.causalcvr.api.CvrException} naming it.
 */
public final class Comparison {
    private final CvrRuntime runtime;
    private final List<Arm> arms;
    private final Map<String, String> shared;
    private final List<Long> seeds;
    private final Optional<String> backend;
    private final Map<String, String> backendSettings;
    private final Optional<ExposureSource> train;
    private final Optional<ExposureSource> test;
    private final Optional<ExposureSource> validation;
    private final Optional<ValidationScore> validationScore;
    private final EvaluationOptions evaluation;
    private final RunListener listener;
    private final Optional<String> title;
    private final Map<String, Object> provenance;

    private Comparison(Draft d) {
        this.runtime = Objects.requireNonNull(d.runtime);
        this.arms = List.copyOf(d.arms);
        this.shared = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(d.shared));
        this.seeds = List.copyOf(d.seeds);
        this.backend = Objects.requireNonNull(d.backend);
        this.backendSettings =
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(d.backendSettings));
        this.train = Objects.requireNonNull(d.train);
        this.test = Objects.requireNonNull(d.test);
        this.validation = Objects.requireNonNull(d.validation);
        this.validationScore = Objects.requireNonNull(d.validationScore);
        this.evaluation = Objects.requireNonNull(d.evaluation);
        this.listener = Objects.requireNonNull(d.listener);
        this.title = Objects.requireNonNull(d.title);
        this.provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(d.provenance));
    }

    /**
     * A comparison's settings while one of its withers changes them: every wither copies the
     * comparison into a draft, changes one thing and freezes the draft into a new comparison, so
     * that a comparison stays immutable without every wither spelling out every field.
     */
    private static final class Draft {
        final CvrRuntime runtime;
        List<Arm> arms = List.of();
        Map<String, String> shared = Map.of();
        List<Long> seeds = List.of(1L);
        Optional<String> backend = Optional.empty();
        Map<String, String> backendSettings = Map.of();
        Optional<ExposureSource> train = Optional.empty();
        Optional<ExposureSource> test = Optional.empty();
        Optional<ExposureSource> validation = Optional.empty();
        Optional<ValidationScore> validationScore = Optional.empty();
        EvaluationOptions evaluation = EvaluationOptions.defaults();
        RunListener listener = RunListener.SILENT;
        Optional<String> title = Optional.empty();
        Map<String, Object> provenance = Map.of();

        Draft(CvrRuntime runtime) {
            this.runtime = runtime;
        }

        Draft(Comparison c) {
            this(c.runtime);
            arms = c.arms;
            shared = c.shared;
            seeds = c.seeds;
            backend = c.backend;
            backendSettings = c.backendSettings;
            train = c.train;
            test = c.test;
            validation = c.validation;
            validationScore = c.validationScore;
            evaluation = c.evaluation;
            listener = c.listener;
            title = c.title;
            provenance = c.provenance;
        }
    }

    /**
     * An empty comparison over the plugins of {@code runtime}: seed 1, default evaluation options,
     * and the runtime's only backend unless {@link #backend} names one.
     */
    public static Comparison of(CvrRuntime runtime) {
        return new Comparison(new Draft(runtime));
    }

    private Comparison with(java.util.function.Consumer<Draft> change) {
        Draft d = new Draft(this);
        change.accept(d);
        return new Comparison(d);
    }

    /** Adds one arm per estimator name, each with its default settings, labelled by its name. */
    public Comparison estimators(String... names) {
        return estimators(List.of(names));
    }

    /** Adds one arm per estimator name, each with its default settings, labelled by its name. */
    public Comparison estimators(List<String> names) {
        var more = new ArrayList<>(arms);
        names.forEach(n -> more.add(Arm.of(n)));
        return withArms(more);
    }

    /** Adds an arm: {@code estimator} with {@code settings}, labelled {@code label} in tables. */
    public Comparison arm(String label, String estimator, Map<String, String> settings) {
        var more = new ArrayList<>(arms);
        more.add(new Arm(label, estimator, settings));
        return withArms(more);
    }

    /**
     * Adds an arm with backend settings of its own (a tuned learning rate or epochs): {@code
     * backendSettings} apply to this arm's runs only, over the comparison's backend settings.
     */
    public Comparison arm(
            String label,
            String estimator,
            Map<String, String> settings,
            Map<String, String> backendSettings) {
        var more = new ArrayList<>(arms);
        more.add(new Arm(label, estimator, settings, backendSettings));
        return withArms(more);
    }

    /**
     * This comparison with {@code more} in place of its arms (the same seeds, backend, settings,
     * data and listener), for a caller that derives arms from {@link #resolvedArms()}.
     */
    public Comparison withArms(List<Arm> more) {
        return with(d -> d.arms = more);
    }

    /**
     * Settings for every arm whose estimator declares the key and for the backend if it declares it
     * (an arm's own settings win); a key that none declares fails at {@link #run()}.
     */
    public Comparison set(Map<String, String> settings) {
        var all = new LinkedHashMap<>(shared);
        all.putAll(settings);
        return with(d -> d.shared = all);
    }

    /** The backend seeds; every arm runs once with each (default: seed 1). */
    public Comparison seeds(long... seeds) {
        var list = new ArrayList<Long>();
        for (long s : seeds) {
            list.add(s);
        }
        return seeds(list);
    }

    /** The backend seeds; every arm runs once with each (default: seed 1). */
    public Comparison seeds(List<Long> seeds) {
        if (seeds.isEmpty()) {
            throw new ConfigException("A comparison needs at least one seed");
        }
        if (new HashSet<>(seeds).size() != seeds.size()) {
            throw new ConfigException("The seeds " + seeds + " repeat one");
        }
        return with(d -> d.seeds = seeds);
    }

    /** The backend registered as {@code name}, with its default settings. */
    public Comparison backend(String name) {
        return backend(name, Map.of());
    }

    /** The backend registered as {@code name}, with {@code settings} (without {@code seed}). */
    public Comparison backend(String name, Map<String, String> settings) {
        if (settings.containsKey("seed")) {
            throw new ConfigException(
                    "The backend's seed is set per run by seeds(...), not in its settings");
        }
        return with(
                d -> {
                    d.backend = Optional.of(name);
                    d.backendSettings = settings;
                });
    }

    /** The training data. */
    public Comparison train(ExposureSource source) {
        return with(d -> d.train = Optional.of(source));
    }

    /** The test data every model is evaluated on. */
    public Comparison test(ExposureSource source) {
        return with(d -> d.test = Optional.of(source));
    }

    /** Validation data and the score that stops training early on it. */
    public Comparison validation(ExposureSource source, ValidationScore score) {
        return with(
                d -> {
                    d.validation = Optional.of(source);
                    d.validationScore = Optional.of(score);
                });
    }

    /**
     * How models are evaluated (K, label seed, spaces); default {@link
     * EvaluationOptions#defaults()}.
     */
    public Comparison evaluation(EvaluationOptions options) {
        return with(d -> d.evaluation = options);
    }

    /** Observes each run (progress bars, logs); default: silent. */
    public Comparison listener(RunListener listener) {
        return with(d -> d.listener = listener);
    }

    /** The report's heading (default: "Comparison on " and the test data's description). */
    public Comparison title(String title) {
        return with(d -> d.title = Optional.of(title));
    }

    /**
     * A line of the report's provenance ("how this was made"), before the lines the comparison adds
     * itself (data, seeds, backend, library version, machine).
     */
    public Comparison provenance(String key, Object value) {
        var more = new LinkedHashMap<>(provenance);
        more.put(key, value);
        return with(d -> d.provenance = more);
    }

    /** The arms with the {@link #set} settings their estimators declare, as they will run. */
    public List<Arm> resolvedArms() {
        return resolve().arms();
    }

    /** The backend's settings with the {@link #set} settings it declares, as they will run. */
    public Map<String, String> resolvedBackendSettings() {
        return resolve().backendSettings();
    }

    /** The backend's registered name: the one given, or the runtime's only backend. */
    public String backendName() {
        if (backend.isPresent()) {
            return backend.get();
        }
        var names = runtime.backendNames();
        if (names.size() != 1) {
            throw new ConfigException(
                    "Name the backend: the plugins register "
                            + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        return names.first();
    }

    private record Resolved(List<Arm> arms, Map<String, String> backendSettings) {}

    private Resolved resolve() {
        if (arms.isEmpty()) {
            throw new ConfigException("A comparison needs at least one estimator");
        }
        var backendSchema = runtime.backend(backendName()).configSchema();
        var used = new HashSet<String>();
        var resolved = new ArrayList<Arm>();
        for (Arm arm : arms) {
            var schema = runtime.estimator(arm.estimator()).configSchema();
            var settings = new LinkedHashMap<String, String>();
            shared.forEach(
                    (k, v) -> {
                        if (schema.key(k).isPresent()) {
                            settings.put(k, v);
                            used.add(k);
                        }
                    });
            settings.putAll(arm.settings());
            resolved.add(new Arm(arm.label(), arm.estimator(), settings, arm.backendSettings()));
        }
        var backendAll = new LinkedHashMap<>(backendSettings);
        shared.forEach(
                (k, v) -> {
                    if (backendSchema.key(k).isPresent()) {
                        backendAll.put(k, v);
                        used.add(k);
                    }
                });
        for (String k : shared.keySet()) {
            if (!used.contains(k)) {
                throw new ConfigException(
                        "Unknown key '"
                                + k
                                + "' in --set: no estimator of "
                                + arms.stream().map(Arm::estimator).distinct().toList()
                                + " and not the backend declares it");
            }
        }
        return new Resolved(resolved, backendAll);
    }

    private ExperimentRunner runner(Resolved resolved) {
        return new ExperimentRunner(
                runtime,
                backendName(),
                resolved.backendSettings(),
                listener,
                validation,
                validationScore);
    }

    /**
     * Checks every name and setting (estimators, backend, {@link #set} keys) without training or
     * reading data; {@link #run()} does the same first.
     */
    public Comparison validate() {
        Resolved resolved = resolve();
        runner(resolved).validate(resolved.arms(), seeds.get(0));
        return this;
    }

    /**
     * Trains every arm with every seed, evaluates each model on the test data and returns the
     * report.
     *
     * @throws ConfigException when the training or test data is missing or a name or setting is bad
     * @throws org.causalcvr.experiments.run.RunFailedException when a run fails after good input
     */
    public ComparisonReport run() {
        return run(false);
    }

    /**
     * As {@link #run()}, keeping the per-row test scores of every run ({@link
     * org.causalcvr.experiments.run.Run#scores()}), not only of each arm's first seed: what a
     * seed-by-seed analysis (a {@link org.causalcvr.experiments.study.Study}) needs.
     */
    public ComparisonReport runKeepingEveryScore() {
        return run(true);
    }

    private ComparisonReport run(boolean everySeed) {
        ExposureSource trainSource =
                train.orElseThrow(() -> new ConfigException("A comparison needs training data"));
        ExposureSource testSource =
                test.orElseThrow(() -> new ConfigException("A comparison needs test data"));
        Resolved resolved = resolve();
        var runs =
                runner(resolved)
                        .run(
                                resolved.arms(),
                                trainSource,
                                testSource,
                                seeds,
                                evaluation,
                                true,
                                everySeed);
        var prov = new LinkedHashMap<>(provenance);
        prov.put("train", trainSource.description() + " (" + trainSource.fingerprint() + ")");
        prov.put("test", testSource.description() + " (" + testSource.fingerprint() + ")");
        prov.put("seeds", seeds);
        prov.put("backend", backendName() + " " + resolved.backendSettings());
        // Each arm's own settings, after the shared --set ones: without them a report that ran
        // with, say, ipw-bound-pct=20 for every estimator that declares it would not say so.
        // In key order: an Arm's maps iterate in an order that changes from one JVM to the next,
        // and the same run must write the same report bytes.
        var armSettings = new LinkedHashMap<String, String>();
        for (Arm arm : resolved.arms()) {
            armSettings.put(
                    arm.label(),
                    arm.estimator()
                            + " "
                            + new TreeMap<>(arm.settings())
                            + (arm.backendSettings().isEmpty()
                                    ? ""
                                    : " backend " + new TreeMap<>(arm.backendSettings())));
        }
        prov.put("estimators", armSettings);
        prov.put("library", "causal-cvr " + CodeVersion.current());
        prov.put("machine", CodeVersion.machine());
        return new ComparisonReport(
                title.orElse("Comparison on " + testSource.description()),
                runs,
                evaluation.labelSeed(),
                prov);
    }
}
