package org.causalcvr.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TrainingStage;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.api.ops.DoubleOps;
import org.junit.jupiter.api.Test;

/**
 * The checks every estimator runs, built-in or third-party (after Trino's {@code
 * BaseConnectorTest}). Extend it, name the factory and the estimator's claim, and JUnit runs them
 * all:
 *
 * <pre>{@code
 * class MyDrConformanceTest extends EstimatorConformanceTest {
 *     @Override protected EstimatorFactory factory() { return new MyDrFactory(); }
 *     @Override protected Claim claim() { return Claim.DOUBLY_ROBUST; }
 *     @Override protected Map<String, List<String>> badValues() {
 *         return Map.of("my-rate", List.of("0", "-1"));
 *     }
 * }
 * }</pre>
 *
 * Dependency (test scope): {@code org.causalcvr:cvr-testkit}, which brings JUnit 5, AssertJ, jqwik
 * and Commons Math 3 with it.
 *
 * <p>What is checked: the name and description; that the defaults resolve and build; that every key
 * accepts its own default written out and rejects an unparsable or out-of-range value with a
 * one-line {@link ConfigException} naming the key and the value; that an unknown key is rejected;
 * that the same configuration gives the same estimator and the same losses (estimators hold no
 * randomness: seeds belong to the backend); that a {@code ctr} and a {@code cvr} tower are built
 * (pCTCVR = pCTR · pCVR); that every step's objective is finite, with named terms, on extreme but
 * legal batches; that every objective's {@link Objective#rowUse} declarations hold ({@link
 * RowUseCheck}); and the {@link Claim} of the estimator's family, by Monte-Carlo over a confounded
 * {@link TestWorld}, with its power twin.
 *
 * <p>The statistical checks evaluate {@link ObjectiveValues#inaccuracyEstimate} of the schedule's
 * main objective with tower logits from {@link #logits}: {@code ctr} = logit(p̂), {@code cvr} =
 * logit(r̂), {@code imputation} the logits whose ê, as the estimator's own {@link Imputation} reads
 * them, is the wanted one (found per row by bisection, so any monotone reading works); other towers
 * get logits of 0. Override {@link #logits} for towers of other names or meanings.
 */
public abstract class EstimatorConformanceTest {
    /** The statistical property of an estimator's family. */
    public enum Claim {
        /** Unbiased for P when p̂ = p (Theorem 1); biased when p̂ is wrong. */
        INVERSE_PROPENSITY,
        /**
         * Unbiased when p̂ = p, and (if its ê comes from an {@code imputation} tower) when ê = e
         * with p̂ wrong (Theorem 2); biased when both are wrong.
         */
        DOUBLY_ROBUST,
        /**
         * Doubly robust in the large-sample sense: when p̂ = p its bias is O(1/|D|) (a ratio of
         * sums over the clicks, as SNIPS's; self-normalised or targeted DR), so on the world
         * repeated {@value #CONSISTENCY_REPEATS} times its bias is within 1% of P and at most half
         * its bias on the world itself (plus three standard errors); exact when ê = e with p̂ wrong
         * (if its ê comes from an {@code imputation} tower); biased when both are wrong.
         */
        CONSISTENT_DOUBLY_ROBUST,
        /**
         * No unbiasedness claim: its bias is detected in a confounded world (clicks ~ conversions).
         */
        BIASED
    }

    /** The factory under test. */
    protected abstract EstimatorFactory factory();

    /** The property of the estimator's family. */
    protected abstract Claim claim();

    /** The settings the statistical checks use (the defaults unless overridden). */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * Values that specific keys must reject, in addition to the kit's generic ones (an unparsable
     * value, NaN): for example {@code undersample-rate → [0, -1]}.
     */
    protected Map<String, List<String>> badValues() {
        return Map.of();
    }

    /** Pairs in a statistical world. */
    protected int worldSize() {
        return 200;
    }

    /** Monte-Carlo replicates per statistical check. */
    protected int replicates() {
        return MonteCarlo.replicates(1_000);
    }

    /**
     * The wrong propensity of the power twins and of the "ê = e, p̂ wrong" check: p̂ = p/2 unless
     * overridden. An estimator that normalises its weights (SNIPS, StableDR) or re-fits a scale on
     * them (TDR) is invariant to a uniform scale of p̂, so its power twin needs a distortion that
     * is not one, such as p̂ = p².
     */
    protected double[] misspecifiedPropensity(TestWorld world) {
        return scaled(world.propensity(), 0.5);
    }

    /**
     * The tower logits the estimator sees in {@code world}, given the propensity p̂ and imputed
     * error ê that the check wants it to use.
     */
    protected Map<String, double[]> logits(
            Estimator estimator,
            TestWorld world,
            double[] propensity,
            double[] imputedError,
            double[] conversion) {
        var logits = new LinkedHashMap<String, double[]>();
        for (Tower tower : estimator.towers()) {
            String name = tower.name();
            double[] z;
            if (name.equals(TowerNames.CTR)) {
                z = ObjectiveValues.logits(propensity);
            } else if (name.equals(TowerNames.CVR)) {
                z = ObjectiveValues.logits(world.prediction());
            } else if (name.equals(TowerNames.IMPUTATION)) {
                z = imputationLogits(estimator, world, imputedError, conversion);
            } else {
                z = new double[world.size()];
            }
            logits.put(name, z);
        }
        return logits;
    }

    // ----- configuration -----

    @Test
    public void hasANameAndADescription() {
        assertThat(factory().name()).matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
        assertThat(factory().description()).isNotBlank().doesNotContain("\n");
    }

    @Test
    public void defaultsResolveAndBuildTheNamedEstimator() {
        Estimator estimator = factory().create(Map.of());
        assertThat(estimator.name()).isEqualTo(factory().name());
        assertThat(estimator.config()).isEqualTo(factory().configSchema().defaults());
        assertThat(estimator.config().asStrings().keySet())
                .containsExactlyElementsOf(
                        factory().configSchema().keys().stream().map(ConfigKey::name).toList());
    }

    @Test
    public void everyKeyAcceptsItsDefaultWrittenOut() {
        Config defaults = factory().configSchema().defaults();
        Estimator written = factory().create(defaults.asStrings());
        assertThat(written.config()).isEqualTo(defaults);
    }

    @Test
    public void anUnknownKeyIsRejectedNamingIt() {
        assertThatThrownBy(() -> factory().create(Map.of("no-such-key", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no-such-key")
                .hasMessageContaining(factory().name())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    public void badValuesAreRejectedInOneLineNamingKeyAndValue() {
        var cases = new ArrayList<Map.Entry<String, String>>();
        for (ConfigKey<?> key : factory().configSchema().keys()) {
            cases.add(Map.entry(key.name(), "not-a-value"));
            if (key.type() == Double.class) {
                cases.add(Map.entry(key.name(), "NaN"));
            }
        }
        badValues().forEach((key, values) -> values.forEach(v -> cases.add(Map.entry(key, v))));
        for (var bad : cases) {
            assertThat(factory().configSchema().key(bad.getKey()))
                    .as("key %s is in the schema", bad.getKey())
                    .isPresent();
            assertThatThrownBy(() -> factory().create(Map.of(bad.getKey(), bad.getValue())))
                    .as("%s = %s", bad.getKey(), bad.getValue())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'" + bad.getKey() + "'")
                    .satisfies(
                            e -> {
                                assertThat(e.getMessage()).doesNotContain("\n");
                                assertThat(e.getMessage()).containsAnyOf(asWritten(bad.getValue()));
                            });
        }
    }

    // ----- structure and determinism -----

    @Test
    public void buildsCtrAndCvrTowersSoThatPctcvrCanBeReported() {
        Estimator estimator = factory().create(settings());
        assertThat(estimator.towers().stream().map(Tower::name))
                .contains(TowerNames.CTR, TowerNames.CVR);
        var trained = new java.util.HashSet<String>();
        for (TrainingStage stage : estimator.schedule().stages()) {
            for (TrainingStep step : stage.steps()) {
                trained.addAll(step.trainableTowers());
            }
        }
        assertThat(trained)
                .as("every tower is trained by some step")
                .containsAll(estimator.towers().stream().map(Tower::name).toList());
    }

    @Test
    public void theSameConfigurationGivesTheSameEstimatorAndLosses() {
        Estimator first = factory().create(settings());
        Estimator second = factory().create(settings());
        assertThat(second.name()).isEqualTo(first.name());
        assertThat(second.config()).isEqualTo(first.config());
        assertThat(second.towers()).isEqualTo(first.towers());
        assertThat(second.unclickedSamplingRate()).isEqualTo(first.unclickedSamplingRate());
        assertThat(second.schedule().kind()).isEqualTo(first.schedule().kind());
        List<Objective> a = objectives(first);
        List<Objective> b = objectives(second);
        assertThat(b).hasSameSizeAs(a);
        TestWorld world = TestWorld.confounded(new SplittableRandom(7), 50);
        double[] clicks = world.sampleClicks(new SplittableRandom(8));
        for (int i = 0; i < a.size(); i++) {
            var input = world.observe(clicks, truthLogits(first, world));
            assertThat(ObjectiveValues.terms(b.get(i), input))
                    .isEqualTo(ObjectiveValues.terms(a.get(i), input));
        }
    }

    @Test
    public void everyObjectiveIsFiniteWithNamedTermsOnExtremeButLegalBatches() {
        Estimator estimator = factory().create(settings());
        double[] extremes = {-1e4, -50, -17, -1e-9, 0, 1e-9, 17, 50, 1e4};
        var random = new SplittableRandom(11);
        int n = 24;
        for (int trial = 0; trial < 60; trial++) {
            double clickRate = trial % 3 == 0 ? 0 : trial % 3 == 1 ? 1 : 0.5;
            double[] clicks = new double[n];
            double[] conversions = new double[n];
            double[] truth = new double[n];
            for (int i = 0; i < n; i++) {
                clicks[i] = random.nextDouble() < clickRate ? 1 : 0;
                conversions[i] = clicks[i] * (random.nextBoolean() ? 1 : 0);
                truth[i] = random.nextBoolean() ? 1e-12 : 1.0;
            }
            var logits = new LinkedHashMap<String, double[]>();
            for (Tower tower : estimator.towers()) {
                double[] z = new double[n];
                for (int i = 0; i < n; i++) {
                    z[i] = extremes[random.nextInt(extremes.length)];
                }
                logits.put(tower.name(), z);
            }
            ObjectiveInput<double[]> input =
                    ObjectiveValues.inputFromLogits(clicks, conversions, logits, truth);
            if (trial % 2 == 1) {
                double[] weights = new double[n];
                for (int i = 0; i < n; i++) {
                    weights[i] = random.nextBoolean() ? 0.25 : 4.0;
                }
                input = input.withRowWeights(weights);
            }
            for (Objective objective : objectives(estimator)) {
                LossTerms<double[]> loss = objective.loss(DoubleOps.INSTANCE, input);
                assertThat(loss.terms()).as(objective.name()).isNotEmpty();
                for (var term : loss.terms().entrySet()) {
                    assertThat(term.getKey()).isNotBlank();
                    assertThat(DoubleOps.INSTANCE.value(term.getValue()))
                            .as("term %s of %s, trial %d", term.getKey(), objective.name(), trial)
                            .isFinite();
                }
                assertThat(DoubleOps.INSTANCE.value(loss.total())).isFinite();
            }
        }
    }

    /**
     * Row weights are counts: a batch whose row i weighs w_i gives every loss term the value of the
     * batch in which row i appears w_i times. The backend relies on it when it weights unclicked
     * rows by their chance of being drawn instead of drawing them ({@code unclicked-sampling}), and
     * so does any sampling correction.
     */
    @Test
    public void aRowOfWeightTwoCountsAsTheRowTwice() {
        Estimator estimator = factory().create(settings());
        var random = new SplittableRandom(23);
        int n = 30;
        for (int trial = 0; trial < 10; trial++) {
            double[] clicks = new double[n];
            double[] conversions = new double[n];
            double[] truth = new double[n];
            int[] counts = new int[n];
            var logits = new LinkedHashMap<String, double[]>();
            for (Tower tower : estimator.towers()) {
                logits.put(tower.name(), new double[n]);
            }
            int total = 0;
            for (int i = 0; i < n; i++) {
                clicks[i] = random.nextDouble() < 0.4 ? 1 : 0;
                conversions[i] = clicks[i] * (random.nextBoolean() ? 1 : 0);
                truth[i] = 0.05 + 0.9 * random.nextDouble();
                counts[i] = 1 + random.nextInt(3);
                total += counts[i];
                for (double[] z : logits.values()) {
                    z[i] = random.nextDouble() * 6 - 3;
                }
            }
            double[] weights = new double[n];
            double[] repeatedClicks = new double[total];
            double[] repeatedConversions = new double[total];
            double[] repeatedTruth = new double[total];
            var repeatedLogits = new LinkedHashMap<String, double[]>();
            for (String t : logits.keySet()) {
                repeatedLogits.put(t, new double[total]);
            }
            int at = 0;
            for (int i = 0; i < n; i++) {
                weights[i] = counts[i];
                for (int c = 0; c < counts[i]; c++, at++) {
                    repeatedClicks[at] = clicks[i];
                    repeatedConversions[at] = conversions[i];
                    repeatedTruth[at] = truth[i];
                    for (var e : logits.entrySet()) {
                        repeatedLogits.get(e.getKey())[at] = e.getValue()[i];
                    }
                }
            }
            var weighted =
                    ObjectiveValues.inputFromLogits(clicks, conversions, logits, truth)
                            .withRowWeights(weights);
            var repeated =
                    ObjectiveValues.inputFromLogits(
                            repeatedClicks, repeatedConversions, repeatedLogits, repeatedTruth);
            for (Objective objective : objectives(estimator)) {
                Map<String, Double> expected = ObjectiveValues.terms(objective, repeated);
                Map<String, Double> actual = ObjectiveValues.terms(objective, weighted);
                assertThat(actual.keySet()).as(objective.name()).isEqualTo(expected.keySet());
                for (var term : expected.entrySet()) {
                    assertThat(actual.get(term.getKey()))
                            .as("term %s of %s, trial %d", term.getKey(), objective.name(), trial)
                            .isCloseTo(
                                    term.getValue(),
                                    within(1e-9 * Math.max(1, Math.abs(term.getValue()))));
                }
            }
        }
    }

    @Test
    public void everyObjectiveReadsItsTowersOnlyAsItDeclares() {
        Estimator estimator = factory().create(settings());
        var all = new ArrayList<>(objectives(estimator));
        all.add(estimator.schedule().mainObjective());
        for (Objective objective : all) {
            RowUseCheck.verify(objective);
        }
    }

    // ----- the family's statistical property -----

    @Test
    public void theClaimOfItsFamilyHoldsAndItsPowerTwinIsDetected() {
        Estimator estimator = factory().create(settings());
        TestWorld world = TestWorld.confounded(new SplittableRandom(20_191_231L), worldSize());
        double truth = world.trueInaccuracy();
        double[] p = world.propensity();
        double[] halved = misspecifiedPropensity(world);
        double[] e = world.errors();
        double[] noImputation = scaled(e, 0.0);
        switch (claim()) {
            case INVERSE_PROPENSITY -> {
                double[] right = estimates(estimator, world, p, noImputation);
                assertUnbiased("p̂ = p", truth, right);
                double[] wrong = estimates(estimator, world, halved, noImputation);
                assertBiased("p̂ misspecified (power twin)", truth, wrong);
            }
            case DOUBLY_ROBUST, CONSISTENT_DOUBLY_ROBUST -> {
                double[] wrongImputation = scaled(e, 0.3);
                double[] right = estimates(estimator, world, p, wrongImputation);
                if (claim() == Claim.DOUBLY_ROBUST) {
                    assertUnbiased("p̂ = p, ê wrong", truth, right);
                } else {
                    TestWorld larger = world.repeat(CONSISTENCY_REPEATS);
                    double[] more =
                            estimates(
                                    estimator,
                                    larger,
                                    larger.propensity(),
                                    scaled(larger.errors(), 0.3));
                    assertConsistent("p̂ = p, ê wrong", truth, right, more);
                }
                if (hasImputationTower(estimator)) {
                    double[] rightImputation =
                            estimates(estimator, world, halved, e, world.conversion());
                    assertUnbiased("ê = e, p̂ wrong", truth, rightImputation);
                }
                double[] bothWrong = estimates(estimator, world, halved, wrongImputation);
                assertBiased("p̂ and ê wrong (power twin)", truth, bothWrong);
            }
            case BIASED -> {
                double[] estimates = estimates(estimator, world, p, noImputation);
                assertBiased("confounded world, p̂ = p", truth, estimates);
            }
        }
    }

    // ----- helpers -----

    private double[] estimates(
            Estimator estimator, TestWorld world, double[] propensity, double[] imputed) {
        return estimates(estimator, world, propensity, imputed, null);
    }

    private double[] estimates(
            Estimator estimator,
            TestWorld world,
            double[] propensity,
            double[] imputed,
            double[] conversion) {
        Map<String, double[]> logits = logits(estimator, world, propensity, imputed, conversion);
        Objective main = estimator.schedule().mainObjective();
        return world.replicate(
                replicates(),
                1234,
                draw -> ObjectiveValues.inaccuracyEstimate(main, draw.withLogits(logits)));
    }

    private Map<String, double[]> truthLogits(Estimator estimator, TestWorld world) {
        return logits(estimator, world, world.propensity(), world.errors(), world.conversion());
    }

    private static void assertUnbiased(String what, double truth, double[] estimates) {
        if (MonteCarlo.standardError(estimates) <= 1e-7 * Math.max(1, Math.abs(truth))) {
            // Every draw gives the same estimate up to rounding (DR with ê = e, whose ê is found
            // by bisection and carried in floats): a t-test would reject on the rounding alone,
            // so the estimate must be P itself, to that rounding.
            assertThat(MonteCarlo.mean(estimates))
                    .as("%s: %s", what, MonteCarlo.describe(truth, estimates))
                    .isCloseTo(truth, within(1e-6 * Math.max(1, Math.abs(truth))));
            return;
        }
        assertThat(MonteCarlo.consistentWith(truth, estimates))
                .as("%s: unbiased, %s", what, MonteCarlo.describe(truth, estimates))
                .isTrue();
        assertThat(Math.abs(MonteCarlo.mean(estimates) - truth))
                .as("%s: bias within 3%% of P", what)
                .isLessThanOrEqualTo(0.03 * truth);
    }

    /** The world's pairs this many times over, for {@link Claim#CONSISTENT_DOUBLY_ROBUST}. */
    public static final int CONSISTENCY_REPEATS = 8;

    private static void assertConsistent(
            String what, double truth, double[] estimates, double[] onLarger) {
        double bias = Math.abs(MonteCarlo.mean(estimates) - truth);
        double largerBias = Math.abs(MonteCarlo.mean(onLarger) - truth);
        String described =
                MonteCarlo.describe(truth, estimates)
                        + "; "
                        + CONSISTENCY_REPEATS
                        + " times the pairs: "
                        + MonteCarlo.describe(truth, onLarger);
        assertThat(largerBias)
                .as("%s: bias within 1%% of P on the larger world, %s", what, described)
                .isLessThanOrEqualTo(0.01 * truth);
        assertThat(largerBias)
                .as("%s: bias shrinks with the number of pairs, %s", what, described)
                .isLessThanOrEqualTo(0.5 * bias + 3 * MonteCarlo.standardError(onLarger));
    }

    private static void assertBiased(String what, double truth, double[] estimates) {
        assertThat(MonteCarlo.detectsDifference(truth, estimates))
                .as("%s: bias detected, %s", what, MonteCarlo.describe(truth, estimates))
                .isTrue();
    }

    /** The value as the user wrote it, or as a number prints after parsing. */
    private static String[] asWritten(String value) {
        try {
            return new String[] {value, String.valueOf(Double.parseDouble(value))};
        } catch (NumberFormatException e) {
            return new String[] {value};
        }
    }

    private static boolean hasImputationTower(Estimator estimator) {
        return estimator.imputation().towers().contains(TowerNames.IMPUTATION);
    }

    /**
     * The imputation tower's logits z such that the estimator's imputation reads ê = {@code
     * imputedError} on every row (or, when {@code conversion} is given, ê = e, the true error),
     * found per row by bisection on z ∈ [−{@value #LOGIT_BOUND}, {@value #LOGIT_BOUND}]. The
     * imputation's reading must be monotone in z on each row; a wanted ê outside its range gives
     * the nearer end.
     */
    private static double[] imputationLogits(
            Estimator estimator, TestWorld world, double[] imputedError, double[] conversion) {
        int n = world.size();
        double[] wanted = conversion == null ? imputedError : world.errors();
        Imputation imputation = estimator.imputation();
        double[] low = new double[n];
        double[] high = new double[n];
        java.util.Arrays.fill(low, -LOGIT_BOUND);
        java.util.Arrays.fill(high, LOGIT_BOUND);
        double[] atLow = imputedErrors(imputation, world, low);
        double[] atHigh = imputedErrors(imputation, world, high);
        boolean[] increasing = new boolean[n];
        for (int i = 0; i < n; i++) {
            increasing[i] = atHigh[i] >= atLow[i];
        }
        double[] mid = new double[n];
        for (int step = 0; step < 200; step++) {
            for (int i = 0; i < n; i++) {
                mid[i] = 0.5 * (low[i] + high[i]);
            }
            double[] atMid = imputedErrors(imputation, world, mid);
            for (int i = 0; i < n; i++) {
                if ((atMid[i] < wanted[i]) == increasing[i]) {
                    low[i] = mid[i];
                } else {
                    high[i] = mid[i];
                }
            }
        }
        double[] z = new double[n];
        double[] atZ = imputedErrors(imputation, world, low);
        double[] atOther = imputedErrors(imputation, world, high);
        for (int i = 0; i < n; i++) {
            z[i] =
                    Math.abs(atZ[i] - wanted[i]) <= Math.abs(atOther[i] - wanted[i])
                            ? low[i]
                            : high[i];
        }
        return z;
    }

    /** The bound on the imputation tower's logits that the bisection searches within. */
    private static final double LOGIT_BOUND = 40;

    /** ê of every row as {@code imputation} reads the imputation tower's logits {@code z}. */
    private static double[] imputedErrors(Imputation imputation, TestWorld world, double[] z) {
        var logits = new LinkedHashMap<String, double[]>();
        logits.put(TowerNames.CTR, ObjectiveValues.logits(world.propensity()));
        logits.put(TowerNames.CVR, ObjectiveValues.logits(world.prediction()));
        logits.put(TowerNames.IMPUTATION, z.clone());
        double[] clicks = new double[world.size()];
        java.util.Arrays.fill(clicks, 1.0);
        ObjectiveInput<double[]> input = world.observe(clicks, logits);
        return imputation.imputedError(DoubleOps.INSTANCE, input, world.errors());
    }

    private static double[] scaled(double[] x, double factor) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * factor;
        }
        return out;
    }

    private static List<Objective> objectives(Estimator estimator) {
        var out = new ArrayList<Objective>();
        for (TrainingStage stage : estimator.schedule().stages()) {
            for (TrainingStep step : stage.steps()) {
                out.add(step.objective());
            }
        }
        return out;
    }
}
