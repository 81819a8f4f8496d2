package org.causalcvr.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
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
import org.causalcvr.api.ops.Ops;

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

    /**
     * The towers of {@code candidates} (logits are given for all {@code towers}) that get a zero
     * gradient on every unclicked row: their forward pass must cover every row, but their backward
     * pass only the clicked rows. Multi-DR's imputation tower is one: the DR term reads ê on every
     * row but detaches it, and the imputation loss o·(e − ê)²/p̂ vanishes on unclicked rows.
     *
     * <p>Decided with autograd on the probe batch ({@link Ops} over NDArrays in {@code manager}): a
     * tower qualifies when the gradient of the total loss with respect to its logits is exactly 0
     * on every unclicked row, for {@value #TRIALS} draws of the logits. A detached path gives an
     * exact 0, and so does a product with o = 0; a live path gives a nonzero value for almost every
     * draw.
     */
    static Set<String> towersWithGradientOnClickedRowsOnly(
            Objective objective,
            Set<String> towers,
            Set<String> candidates,
            boolean truth,
            Engine engine,
            NDManager parent) {
        var rng = new SplittableRandom(0x6EADL);
        double[] clicks = new double[ROWS];
        double[] conversions = new double[ROWS];
        double[] propensity = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            clicks[i] = i % 3 == 0 ? 1 : 0;
            conversions[i] = clicks[i] == 1 && rng.nextBoolean() ? 1 : 0;
            propensity[i] = 0.05 + 0.9 * rng.nextDouble();
        }
        Set<String> out = new LinkedHashSet<>(candidates);
        out.retainAll(towers);
        for (int trial = 0; trial < TRIALS && !out.isEmpty(); trial++) {
            try (NDManager m = parent.newSubManager();
                    GradientCollector collector = engine.newGradientCollector()) {
                Map<String, NDArray> logits = new HashMap<>();
                for (String t : towers) {
                    NDArray l = m.create(toFloats(draw(rng, null, clicks)));
                    l.setRequiresGradient(true);
                    logits.put(t, l);
                }
                ObjectiveInput<NDArray> input =
                        ObjectiveInput.of(
                                m.create(toFloats(clicks)),
                                m.create(toFloats(conversions)),
                                new TowerOutputs<>(logits));
                if (truth) {
                    input = input.withTruePropensity(m.create(toFloats(propensity)));
                }
                LossTerms<NDArray> loss = objective.loss(new ProbeOps(new NDArrayOps(m)), input);
                collector.backward(loss.total());
                for (String t : Set.copyOf(out)) {
                    float[] g = logits.get(t).getGradient().toFloatArray();
                    for (int i = 0; i < ROWS; i++) {
                        if (clicks[i] == 0 && g[i] != 0) {
                            out.remove(t);
                            break;
                        }
                    }
                }
            } catch (RuntimeException e) {
                return Set.of();
            }
        }
        return out;
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** {@link NDArrayOps} under another class, so that a probe is told apart from a step. */
    static final class ProbeOps implements Ops<NDArray> {
        private final NDArrayOps ops;

        ProbeOps(NDArrayOps ops) {
            this.ops = ops;
        }

        @Override
        public NDArray scalar(double value) {
            return ops.scalar(value);
        }

        @Override
        public NDArray full(NDArray like, double value) {
            return ops.full(like, value);
        }

        @Override
        public NDArray add(NDArray a, NDArray b) {
            return ops.add(a, b);
        }

        @Override
        public NDArray sub(NDArray a, NDArray b) {
            return ops.sub(a, b);
        }

        @Override
        public NDArray mul(NDArray a, NDArray b) {
            return ops.mul(a, b);
        }

        @Override
        public NDArray div(NDArray a, NDArray b) {
            return ops.div(a, b);
        }

        @Override
        public NDArray log(NDArray a) {
            return ops.log(a);
        }

        @Override
        public NDArray exp(NDArray a) {
            return ops.exp(a);
        }

        @Override
        public NDArray sigmoid(NDArray a) {
            return ops.sigmoid(a);
        }

        @Override
        public NDArray abs(NDArray a) {
            return ops.abs(a);
        }

        @Override
        public NDArray clamp(NDArray a, double lo, double hi) {
            return ops.clamp(a, lo, hi);
        }

        @Override
        public NDArray where(NDArray condition, NDArray ifTrue, NDArray ifFalse) {
            return ops.where(condition, ifTrue, ifFalse);
        }

        @Override
        public NDArray detach(NDArray a) {
            return ops.detach(a);
        }

        @Override
        public NDArray sum(NDArray a) {
            return ops.sum(a);
        }

        @Override
        public NDArray mean(NDArray a) {
            return ops.mean(a);
        }

        @Override
        public NDArray min(NDArray a) {
            return ops.min(a);
        }

        @Override
        public NDArray max(NDArray a) {
            return ops.max(a);
        }

        @Override
        public int size(NDArray a) {
            return ops.size(a);
        }

        @Override
        public double value(NDArray scalar) {
            return ops.value(scalar);
        }
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
