package org.causalcvr.estimators.testing;

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
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TrainingStage;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.estimators.ObjectiveValues;
import org.causalcvr.estimators.imputation.ImputationTarget;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
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
 * Dependencies (test scope): {@code org.causalcvr:cvr-estimators:tests} (type {@code test-jar}),
 * JUnit 5, AssertJ and Commons Math 3.
 *
 * <p>What is checked: the name and description; that the defaults resolve and build; that every key
 * accepts its own default written out and rejects an unparsable or out-of-range value with a
 * one-line {@link ConfigException} naming the key and the value; that an unknown key is rejected;
 * that the same configuration gives the same estimator and the same losses (estimators hold no
 * randomness: seeds belong to the backend); that a {@code ctr} and a {@code cvr} tower are built
 * (pCTCVR = pCTR · pCVR); that every step's objective is finite, with named terms, on extreme but
 * legal batches; and the {@link Claim} of the estimator's family, by Monte-Carlo over a confounded
 * {@link TestWorld}, with its power twin.
 *
 * <p>The statistical checks evaluate {@link ObjectiveValues#inaccuracyEstimate} of the schedule's
 * main objective with tower logits from {@link #logits}: {@code ctr} = logit(p̂), {@code cvr} =
 * logit(r̂), {@code imputation} read as {@link ImputationTarget}; other towers get logits of 0.
 * Override {@link #logits} for towers of other names or meanings.
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

    // ----- the family's statistical property -----

    @Test
    public void theClaimOfItsFamilyHoldsAndItsPowerTwinIsDetected() {
        Estimator estimator = factory().create(settings());
        TestWorld world = TestWorld.confounded(new SplittableRandom(20_191_231L), worldSize());
        double truth = world.trueInaccuracy();
        double[] p = world.propensity();
        double[] halved = scaled(p, 0.5);
        double[] e = world.errors();
        double[] noImputation = scaled(e, 0.0);
        switch (claim()) {
            case INVERSE_PROPENSITY -> {
                double[] right = estimates(estimator, world, p, noImputation);
                assertUnbiased("p̂ = p", truth, right);
                double[] wrong = estimates(estimator, world, halved, noImputation);
                assertBiased("p̂ = p/2 (power twin)", truth, wrong);
            }
            case DOUBLY_ROBUST -> {
                double[] wrongImputation = scaled(e, 0.3);
                double[] right = estimates(estimator, world, p, wrongImputation);
                assertUnbiased("p̂ = p, ê wrong", truth, right);
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
        if (MonteCarlo.standardError(estimates) <= 1e-12 * Math.abs(truth)) {
            // Every draw gives the same estimate (DR with ê = e): it must be P itself.
            assertThat(MonteCarlo.mean(estimates)).as(what).isCloseTo(truth, within(1e-9));
            return;
        }
        assertThat(MonteCarlo.consistentWith(truth, estimates))
                .as("%s: unbiased, %s", what, MonteCarlo.describe(truth, estimates))
                .isTrue();
        assertThat(Math.abs(MonteCarlo.mean(estimates) - truth))
                .as("%s: bias within 3%% of P", what)
                .isLessThanOrEqualTo(0.03 * truth);
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

    private static double[] imputationLogits(
            Estimator estimator, TestWorld world, double[] imputedError, double[] conversion) {
        int n = world.size();
        double[] z = new double[n];
        boolean pseudoLabel =
                estimator.imputation() instanceof ImputationTowerImputation tower
                        && tower.target() == ImputationTarget.PSEUDO_LABEL;
        double[] rHat = world.prediction();
        for (int i = 0; i < n; i++) {
            if (!pseudoLabel) {
                z[i] =
                        imputedError[i] > 0
                                ? ImputationTowerImputation.logitForError(imputedError[i])
                                : -40;
            } else if (conversion != null) {
                // CE(s, r̂) = e exactly when the soft label s is the true label r.
                z[i] = conversion[i] == 1 ? 40 : -40;
            } else {
                // CE(s, r̂) is linear in s: solve for the s whose loss is the wanted ê.
                double a = -Math.log1p(-rHat[i]);
                double b = -Math.log(rHat[i]);
                double s = Math.min(Math.max((imputedError[i] - a) / (b - a), 1e-6), 1 - 1e-6);
                z[i] = Math.log(s) - Math.log1p(-s);
            }
        }
        return z;
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
