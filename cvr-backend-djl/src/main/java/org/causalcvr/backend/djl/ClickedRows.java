package org.causalcvr.backend.djl;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.ops.DoubleOps;

/**
 * Finds the towers whose logits an objective reads only on clicked rows, so that a step can run
 * them on the clicked rows alone (about 4% of the rows at Ali-CCP's click rate) with the same loss
 * and the same gradients.
 *
 * <p>Multi-IPW's and Multi-DR's CVR tower enter their losses only through {@code o·e}: on an
 * unclicked row (o = 0) the product is exactly 0 whatever the logit, so that row's logit gets a
 * zero gradient and the tower's forward and backward on it are wasted work (the PyTorch reference's
 * run X1 measures the same saving). ESMM's CTCVR term reads the CVR tower on every row, so there it
 * is not clicked-only.
 *
 * <p>The objectives are opaque code written against {@link org.causalcvr.api.ops.Ops}, so this is
 * decided by evaluation, not by name: the objective runs on a probe batch of {@value #ROWS} rows
 * with plain doubles ({@link DoubleOps}), then again {@value #TRIALS} times with a tower's logits
 * redrawn on the unclicked rows only. The tower is clicked-only when every term and the total come
 * out bitwise identical every time. A loss that depended on those logits through any smooth path
 * would move by far more than one ulp for some draw; probe logits stay in [−2, 2] so that no clamp
 * of the objectives (probabilities in [1e−7, 1 − 1e−7]) hides a dependence.
 */
final class ClickedRows {
    static final int ROWS = 64;
    static final int TRIALS = 4;

    private ClickedRows() {}

    /**
     * The towers of {@code towers} whose logits {@code objective} reads only on clicked rows.
     *
     * @param truth whether batches carry a true propensity (the oracle propensity reads it)
     */
    static Set<String> towersReadOnClickedRows(
            Objective objective, Set<String> towers, boolean truth) {
        var rng = new SplittableRandom(0x5EEDL);
        double[] clicks = new double[ROWS];
        double[] conversions = new double[ROWS];
        double[] propensity = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            clicks[i] = i % 3 == 0 ? 1 : 0;
            conversions[i] = clicks[i] == 1 && rng.nextBoolean() ? 1 : 0;
            propensity[i] = 0.05 + 0.9 * rng.nextDouble();
        }
        Map<String, double[]> logits = new HashMap<>();
        for (String t : towers) {
            logits.put(t, draw(rng, null, clicks));
        }
        double[] base;
        try {
            base = evaluate(objective, clicks, conversions, truth ? propensity : null, logits);
        } catch (RuntimeException e) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : towers) {
            boolean same = true;
            for (int trial = 0; trial < TRIALS && same; trial++) {
                Map<String, double[]> changed = new HashMap<>(logits);
                changed.put(t, draw(rng, logits.get(t), clicks));
                try {
                    double[] v =
                            evaluate(
                                    objective,
                                    clicks,
                                    conversions,
                                    truth ? propensity : null,
                                    changed);
                    for (int k = 0; k < v.length; k++) {
                        same &= Double.doubleToLongBits(v[k]) == Double.doubleToLongBits(base[k]);
                    }
                } catch (RuntimeException e) {
                    same = false;
                }
            }
            if (same) {
                out.add(t);
            }
        }
        return out;
    }

    /** Logits in [−2, 2]; with {@code keep}, only the unclicked rows are redrawn. */
    private static double[] draw(SplittableRandom rng, double[] keep, double[] clicks) {
        double[] out = new double[clicks.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = keep != null && clicks[i] == 1 ? keep[i] : rng.nextDouble() * 4 - 2;
        }
        return out;
    }

    private static double[] evaluate(
            Objective objective,
            double[] clicks,
            double[] conversions,
            double[] propensity,
            Map<String, double[]> logits) {
        ObjectiveInput<double[]> input =
                ObjectiveInput.of(clicks, conversions, new TowerOutputs<>(logits));
        if (propensity != null) {
            input = input.withTruePropensity(propensity);
        }
        LossTerms<double[]> loss = objective.loss(DoubleOps.INSTANCE, input);
        double[] v = new double[loss.terms().size() + 1];
        int k = 0;
        for (double[] term : loss.terms().values()) {
            v[k++] = DoubleOps.INSTANCE.value(term);
        }
        v[k] = DoubleOps.INSTANCE.value(loss.total());
        return v;
    }
}
