package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.ScheduleKind;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.objective.SumObjective;
import org.junit.jupiter.api.Test;

/**
 * StableDR's estimate, (1/|D|) Σ ê + Σ o(e − ê)/p̂ / Σ o/p̂: the mean of an imputation that meets
 * the constraint Σ o(e − ê)/p̂ = 0, bounded however small a propensity, blind to a uniform scale of
 * p̂, and DR itself when the weights o/p̂ sum to |D|.
 */
class StableDrProperties {
    private static final CvrRuntime RUNTIME = CvrRuntime.load();
    private static final double TOL = 1e-10;

    private static Estimator estimator(String name, Map<String, String> settings) {
        return RUNTIME.estimator(name).create(settings);
    }

    private static final Estimator STABLE_DR = estimator("stable-dr", Map.of());
    private static final Estimator MULTI_DR = estimator("multi-dr", Map.of());

    @Test
    void itsEstimateIsTheMeanImputationShiftedToMeetTheConstraint() {
        var random = new SplittableRandom(1);
        for (int trial = 0; trial < 20; trial++) {
            Batch batch = Batch.random(random, 40);
            double[] o = batch.clicks();
            double[] e = batch.errors();
            double[] eHat = batch.imputed();
            double[] p = batch.propensity();
            double residual = 0;
            double weights = 0;
            for (int i = 0; i < o.length; i++) {
                residual += o[i] * (e[i] - eHat[i]) / p[i];
                weights += o[i] / p[i];
            }
            double eta = residual / weights;
            double constraint = 0;
            for (int i = 0; i < o.length; i++) {
                constraint += o[i] * (e[i] - (eHat[i] + eta)) / p[i];
            }
            assertThat(constraint).isCloseTo(0, within(1e-9 * weights));
            assertThat(batch.estimate(STABLE_DR))
                    .as("trial %d", trial)
                    .isCloseTo(Batch.mean(eHat) + eta, within(TOL));
        }
    }

    @Test
    void itsCorrectionIsBoundedByTheLargestResidualHoweverSmallAPropensity() {
        var random = new SplittableRandom(2);
        for (int trial = 0; trial < 20; trial++) {
            Batch batch = Batch.random(random, 40);
            double[] p = batch.propensity();
            p[0] = 0.001; // row 0 is always clicked: a weight of 1000 for DR
            batch = batch.withPropensity(p);
            double[] e = batch.errors();
            double largest = 0;
            for (int i = 0; i < e.length; i++) {
                if (batch.clicks()[i] == 1) {
                    largest = Math.max(largest, Math.abs(e[i] - batch.imputed()[i]));
                }
            }
            double meanImputed = Batch.mean(batch.imputed());
            assertThat(Math.abs(batch.estimate(STABLE_DR) - meanImputed))
                    .isLessThanOrEqualTo(largest + TOL);
            // The power twin: DR's correction carries the weight 1000/|D| = 25.
            if (Math.abs(e[0] - batch.imputed()[0]) > 0.1) {
                assertThat(Math.abs(batch.estimate(MULTI_DR) - meanImputed))
                        .as("trial %d", trial)
                        .isGreaterThan(largest);
            }
        }
    }

    @Test
    void aUniformScaleOfThePropensityChangesNothingWhereDrChanges() {
        Batch batch = Batch.random(new SplittableRandom(3), 40);
        double[] quarter = batch.propensity();
        for (int i = 0; i < quarter.length; i++) {
            quarter[i] = Math.max(quarter[i], 0.01) / 4;
        }
        double[] p = new double[quarter.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 4 * quarter[i];
        }
        Batch right = batch.withPropensity(p);
        Batch scaled = batch.withPropensity(quarter);
        assertThat(scaled.estimate(STABLE_DR)).isCloseTo(right.estimate(STABLE_DR), within(TOL));
        assertThat(Math.abs(scaled.estimate(MULTI_DR) - right.estimate(MULTI_DR)))
                .isGreaterThan(1e-3);
    }

    @Test
    void whereTheWeightsSumToTheExposuresItIsDr() {
        // Two clicks of p̂ = 1/2 among four rows: Σ o/p̂ = 4 = |D|.
        var batch =
                new Batch(
                        new double[] {1, 1, 0, 0},
                        new double[] {1, 0, 0, 0},
                        new double[] {0.5, 0.5, 0.3, 0.05},
                        new double[] {0.6, 0.3, 0.2, 0.7},
                        new double[] {0.4, 0.2, 0.9, 0.5});
        assertThat(batch.estimate(STABLE_DR)).isCloseTo(batch.estimate(MULTI_DR), within(TOL));
    }

    @Test
    void itsPredictionImputationAndPropensityStepsTakeTurns() {
        var schedule = STABLE_DR.schedule();
        assertThat(schedule.kind()).isEqualTo(ScheduleKind.ALTERNATING);
        assertThat(schedule.stages()).hasSize(1);
        List<TrainingStep> steps = schedule.stages().get(0).steps();
        assertThat(steps.stream().map(TrainingStep::name))
                .containsExactly("prediction", "imputation", "propensity");
        assertThat(steps.stream().map(TrainingStep::trainableTowers))
                .containsExactly(
                        java.util.Set.of(TowerNames.CVR),
                        java.util.Set.of(TowerNames.IMPUTATION),
                        java.util.Set.of(TowerNames.CTR));
        Estimator joint = estimator("stable-dr", Map.of("cyclic-updates", "false"));
        assertThat(joint.schedule().kind()).isEqualTo(ScheduleKind.JOINT);
        assertThat(
                        ((SumObjective) joint.schedule().mainObjective())
                                .parts().stream().map(p -> p.name()))
                .containsExactly("ctr", "self-normalised-dr", "imputation");
        Batch batch = Batch.random(new SplittableRandom(4), 30);
        assertThat(batch.estimate(joint)).isCloseTo(batch.estimate(STABLE_DR), within(TOL));
    }
}
