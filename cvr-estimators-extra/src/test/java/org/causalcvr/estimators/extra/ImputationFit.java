package org.causalcvr.estimators.extra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.objective.Terms;
import org.causalcvr.testkit.ObjectiveValues;
import org.causalcvr.testkit.TestWorld;

/**
 * The ê that an estimator's own imputation loss fits, in a one-parameter class: a constant soft
 * label s ∈ [0, 1] whose loss is the imputed error, ê_s = CE(s, r̂) = s·(−log r̂) + (1 − s)·(−log(1
 * − r̂)) (Heuristic DR's form with η fitted instead of fixed).
 *
 * <p>ê_s is affine in s and every imputation loss is Σ o·w(p̂)·(e − ê)², so the loss is a quadratic
 * in s: three evaluations of the estimator's {@value Terms#IMPUTATION} term, through the library's
 * code on {@code double[]}, give it exactly, and its minimiser over [0, 1] is the vertex clamped
 * into [0, 1]. A planted error in a weighting changes the fitted s.
 */
final class ImputationFit {
    private ImputationFit() {}

    /** ê_s of every pair. */
    static double[] imputed(TestWorld world, double s) {
        double[] rHat = world.prediction();
        double[] out = new double[rHat.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = -s * Math.log(rHat[i]) - (1 - s) * Math.log1p(-rHat[i]);
        }
        return out;
    }

    /** Tower logits: ctr = logit(p̂), cvr = logit(r̂), imputation read as the error ê. */
    static Map<String, double[]> logits(TestWorld world, double[] propensity, double[] imputed) {
        var logits = new LinkedHashMap<String, double[]>();
        logits.put(TowerNames.CTR, ObjectiveValues.logits(propensity));
        logits.put(TowerNames.CVR, ObjectiveValues.logits(world.prediction()));
        double[] z = new double[imputed.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = ImputationTowerImputation.logitForError(imputed[i]);
        }
        logits.put(TowerNames.IMPUTATION, z);
        return logits;
    }

    /** The imputation loss of {@code objective} with the given tower logits, on one draw. */
    static double imputationLoss(
            Objective objective, TestWorld world, double[] clicks, Map<String, double[]> logits) {
        return ObjectiveValues.terms(objective, world.observe(clicks, logits))
                .get(Terms.IMPUTATION);
    }

    /**
     * The s ∈ [0, 1] that minimises the estimator's imputation loss on this draw; {@code ends} are
     * the logits of s = 0, 1/2 and 1 (from {@link #logits(TestWorld, double[], double[])}).
     */
    static double fit(
            Estimator estimator,
            TestWorld world,
            double[] clicks,
            List<Map<String, double[]>> ends) {
        Objective objective = estimator.schedule().mainObjective();
        double l0 = imputationLoss(objective, world, clicks, ends.get(0));
        double lHalf = imputationLoss(objective, world, clicks, ends.get(1));
        double l1 = imputationLoss(objective, world, clicks, ends.get(2));
        // L(s) = a·s² + b·s + c through the three points.
        double a = 2 * (l1 - 2 * lHalf + l0);
        double b = l1 - l0 - a;
        if (!(a > 0)) {
            return l1 < l0 ? 1 : 0; // no click: flat, take an end
        }
        return Math.min(Math.max(-b / (2 * a), 0), 1);
    }

    /** The logits of s = 0, 1/2 and 1, for {@link #fit}. */
    static List<Map<String, double[]>> ends(TestWorld world, double[] propensity) {
        return List.of(
                logits(world, propensity, imputed(world, 0)),
                logits(world, propensity, imputed(world, 0.5)),
                logits(world, propensity, imputed(world, 1)));
    }

    /** {@link #fit} for one draw, computing the logits of the three points. */
    static double fit(Estimator estimator, TestWorld world, double[] clicks, double[] propensity) {
        return fit(estimator, world, clicks, ends(world, propensity));
    }

    /** The DR estimate (the {@code cvr} term) with ê_s, on one draw of the clicks. */
    static double estimate(
            Estimator estimator, TestWorld world, double[] clicks, double[] propensity, double s) {
        var input = world.observe(clicks, logits(world, propensity, imputed(world, s)));
        return ObjectiveValues.inaccuracyEstimate(estimator.schedule().mainObjective(), input);
    }
}
