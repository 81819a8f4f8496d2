package org.causalcvr.estimators.stats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.paper.PaperEstimatorsModule;
import org.causalcvr.testkit.MonteCarlo;
import org.causalcvr.testkit.ObjectiveValues;
import org.causalcvr.testkit.TestWorld;

/** Shared generators and Monte-Carlo runs of the statistical properties. */
final class Worlds {
    private Worlds() {}

    /** Confounded worlds of 100 to 300 pairs (see {@link TestWorld#confounded}). */
    static Arbitrary<TestWorld> confounded() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(100, 300))
                .as((seed, n) -> TestWorld.confounded(new SplittableRandom(seed), n));
    }

    /** The estimator the paper's plugin registers as {@code name}, with these settings. */
    static Estimator estimator(String name, Map<String, String> settings) {
        return PaperEstimatorsModule.factories().stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow()
                .create(settings);
    }

    /** Logits for the ctr, cvr and (error-target) imputation towers. */
    static Map<String, double[]> logits(TestWorld world, double[] propensity, double[] imputed) {
        var logits = new LinkedHashMap<String, double[]>();
        logits.put(TowerNames.CTR, ObjectiveValues.logits(propensity));
        logits.put(TowerNames.CVR, ObjectiveValues.logits(world.prediction()));
        if (imputed != null) {
            double[] z = new double[imputed.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = ImputationTowerImputation.logitForError(imputed[i]);
            }
            logits.put(TowerNames.IMPUTATION, z);
        }
        return logits;
    }

    /**
     * The estimates of P by {@code objective} over {@code replicates} draws of the clicks (seeded),
     * each through DoubleOps.
     */
    static double[] estimates(
            TestWorld world, Objective objective, Map<String, double[]> logits, int replicates) {
        return world.replicate(
                MonteCarlo.replicates(replicates),
                987_654_321L,
                draw -> ObjectiveValues.inaccuracyEstimate(objective, draw.withLogits(logits)));
    }

    static double[] constant(int n, double value) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    static double[] scaled(double[] x, double factor) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * factor;
        }
        return out;
    }
}
