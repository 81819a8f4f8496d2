package org.causalcvr.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.ops.DoubleOps;

/**
 * Objectives evaluated on plain {@code double[]} through {@link DoubleOps}: the same code that
 * trains, used to estimate a quantity on a batch of predictions. For example, the IPW or DR
 * estimate of the CVR log-loss over the whole exposure space, from a validation set's clicks,
 * conversions, pCTR and pCVR:
 *
 * <pre>{@code
 * var input = ObjectiveValues.input(clicks, conversions,
 *         Map.of(TowerNames.CTR, pCtr, TowerNames.CVR, pCvr), null);
 * double estimate = ObjectiveValues.inaccuracyEstimate(multiIpw.schedule().mainObjective(), input);
 * }</pre>
 */
public final class ObjectiveValues {
    /**
     * The name of the loss term that, by convention, is an objective's estimate of the CVR
     * prediction inaccuracy P of the paper's eq. 1 (the built-in objectives' {@code Terms.CVR}).
     */
    public static final String INACCURACY_TERM = "cvr";

    private static final DoubleOps OPS = DoubleOps.INSTANCE;

    private ObjectiveValues() {}

    /** The objective's loss on the batch. */
    public static LossTerms<double[]> evaluate(
            Objective objective, ObjectiveInput<double[]> input) {
        return objective.loss(OPS, input);
    }

    /** The objective's total on the batch. */
    public static double total(Objective objective, ObjectiveInput<double[]> input) {
        return OPS.value(evaluate(objective, input).total());
    }

    /** Every term's value, in the objective's order, and the total under the key {@code total}. */
    public static Map<String, Double> terms(Objective objective, ObjectiveInput<double[]> input) {
        LossTerms<double[]> loss = evaluate(objective, input);
        var out = new LinkedHashMap<String, Double>();
        loss.terms().forEach((name, value) -> out.put(name, OPS.value(value)));
        out.put("total", OPS.value(loss.total()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The objective's estimate of the CVR prediction inaccuracy P (paper eq. 1) on the batch: its
     * {@value #INACCURACY_TERM} term when it has one, otherwise its total (ESMM, whose eq. 3
     * estimate is the sum of its CTR and CTCVR losses).
     */
    public static double inaccuracyEstimate(Objective objective, ObjectiveInput<double[]> input) {
        LossTerms<double[]> loss = evaluate(objective, input);
        return OPS.value(loss.terms().getOrDefault(INACCURACY_TERM, loss.total()));
    }

    /** {@link #inaccuracyEstimate} of the objective that fits the estimator's predicting towers. */
    public static double inaccuracyEstimate(Estimator estimator, ObjectiveInput<double[]> input) {
        return inaccuracyEstimate(estimator.schedule().mainObjective(), input);
    }

    /**
     * A batch from probabilities: each tower's probabilities become logits, {@code log(q/(1−q))}.
     *
     * @param clicks o ∈ {0, 1} per row
     * @param conversions r ∈ {0, 1} per row (0 where o = 0)
     * @param probabilities per tower name, a probability per row (for the imputation tower, see
     *     {@link #inputFromLogits})
     * @param truePropensity p per row, or {@code null} when unknown
     */
    public static ObjectiveInput<double[]> input(
            double[] clicks,
            double[] conversions,
            Map<String, double[]> probabilities,
            double[] truePropensity) {
        var logits = new LinkedHashMap<String, double[]>();
        probabilities.forEach((tower, q) -> logits.put(tower, logits(q)));
        return inputFromLogits(clicks, conversions, logits, truePropensity);
    }

    /** A batch from tower logits. */
    public static ObjectiveInput<double[]> inputFromLogits(
            double[] clicks,
            double[] conversions,
            Map<String, double[]> logits,
            double[] truePropensity) {
        int n = clicks.length;
        if (conversions.length != n) {
            throw new IllegalArgumentException(
                    "conversions has " + conversions.length + " rows, clicks " + n);
        }
        logits.forEach(
                (tower, z) -> {
                    if (z.length != n) {
                        throw new IllegalArgumentException(
                                "tower '" + tower + "' has " + z.length + " rows, clicks " + n);
                    }
                });
        if (truePropensity != null && truePropensity.length != n) {
            throw new IllegalArgumentException(
                    "true propensity has " + truePropensity.length + " rows, clicks " + n);
        }
        return new ObjectiveInput<>(
                clicks,
                conversions,
                new TowerOutputs<>(logits),
                Optional.ofNullable(truePropensity),
                Optional.empty());
    }

    /**
     * {@code log(q/(1−q))} of every entry; 0 and 1 map to ∓∞ is avoided by clamping to [1e-15, 1 −
     * 1e-15].
     */
    public static double[] logits(double[] probabilities) {
        double[] out = new double[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            double q = Math.min(Math.max(probabilities[i], 1e-15), 1 - 1e-15);
            out[i] = Math.log(q) - Math.log1p(-q);
        }
        return out;
    }
}
