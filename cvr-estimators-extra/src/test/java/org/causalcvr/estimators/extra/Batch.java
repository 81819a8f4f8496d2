package org.causalcvr.estimators.extra;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.testkit.ObjectiveValues;

/**
 * A batch given by what the towers should read: clicks o, conversions r, p̂, r̂ and ê per row (ê
 * read by the imputation tower as an error), for losses checked against a computation by hand.
 */
record Batch(
        double[] clicks,
        double[] conversions,
        double[] propensity,
        double[] prediction,
        double[] imputed) {

    /**
     * n rows with p̂ log-uniform in [0.002, 0.9], o ~ Bernoulli(p̂) (at least one click), r ~
     * Bernoulli(0.4) on the clicks, r̂ in [0.05, 0.95], ê in [0.05, 2].
     */
    static Batch random(SplittableRandom random, int n) {
        double[] o = new double[n];
        double[] r = new double[n];
        double[] p = new double[n];
        double[] rHat = new double[n];
        double[] eHat = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.002 * Math.pow(0.9 / 0.002, random.nextDouble());
            o[i] = i == 0 || random.nextDouble() < p[i] ? 1 : 0;
            r[i] = o[i] * (random.nextDouble() < 0.4 ? 1 : 0);
            rHat[i] = 0.05 + 0.9 * random.nextDouble();
            eHat[i] = 0.05 + 1.95 * random.nextDouble();
        }
        return new Batch(o, r, p, rHat, eHat);
    }

    int size() {
        return clicks.length;
    }

    /** e = CE(r, r̂) of every row. */
    double[] errors() {
        double[] e = new double[size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = conversions[i] == 1 ? -Math.log(prediction[i]) : -Math.log1p(-prediction[i]);
        }
        return e;
    }

    Batch withPropensity(double[] p) {
        return new Batch(clicks, conversions, p, prediction, imputed);
    }

    Batch withImputed(double[] eHat) {
        return new Batch(clicks, conversions, propensity, prediction, eHat);
    }

    ObjectiveInput<double[]> input() {
        var logits = new LinkedHashMap<String, double[]>();
        logits.put(TowerNames.CTR, ObjectiveValues.logits(propensity));
        logits.put(TowerNames.CVR, ObjectiveValues.logits(prediction));
        double[] z = new double[size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = ImputationTowerImputation.logitForError(imputed[i]);
        }
        logits.put(TowerNames.IMPUTATION, z);
        return ObjectiveValues.inputFromLogits(clicks, conversions, logits, propensity);
    }

    /** The terms of {@code objective} on this batch. */
    Map<String, Double> terms(Objective objective) {
        return ObjectiveValues.terms(objective, input());
    }

    /** The {@code cvr} term of the estimator's main objective on this batch. */
    double estimate(Estimator estimator) {
        return ObjectiveValues.inaccuracyEstimate(estimator.schedule().mainObjective(), input());
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
