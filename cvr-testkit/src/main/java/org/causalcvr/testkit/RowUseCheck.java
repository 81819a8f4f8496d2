package org.causalcvr.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.testkit.DualOps.Dual;

/**
 * Checks an {@link Objective}'s {@link Objective#rowUse} declarations by probing it, since a
 * backend trusts them and computes nothing for the rows declared unneeded: a declaration that is
 * too strong silently changes what is trained.
 *
 * <ul>
 *   <li>{@link TowerRowUse#CLICKED_ROWS_ONLY}: the objective runs on plain doubles ({@link
 *       DoubleOps}) on probe batches, then again with the tower's logits redrawn on the unclicked
 *       rows only; every term and the total must stay the same (to 1e-12, relative).
 *   <li>{@link TowerRowUse#GRADIENT_ON_CLICKED_ROWS_ONLY} (implied by the above): forward-mode
 *       derivatives ({@link DualOps}) of the total along the tower's logit of each unclicked row,
 *       one row at a time, must be 0 (to 1e-12, relative).
 * </ul>
 *
 * Probe batches have {@value #ROWS} rows, every third clicked, random conversions on the clicked
 * rows, logits in [−3, 3] (inside the clamps of the usual losses, so a clamp does not hide a
 * dependence), a true propensity (for oracle propensities), and come with and without row weights.
 * {@link TowerRowUse#ALL_ROWS} is always correct and is not probed.
 */
public final class RowUseCheck {
    static final int ROWS = 30;
    private static final int DRAWS = 4;
    private static final double TOLERANCE = 1e-12;

    private RowUseCheck() {}

    /**
     * Probes every declaration of {@code objective} for the towers it reads.
     *
     * @throws AssertionError naming the objective, the tower and the declaration, when a
     *     declaration is too strong
     */
    public static void verify(Objective objective) {
        var random = new SplittableRandom(0x70_3E_5EEDL);
        for (int draw = 0; draw < DRAWS; draw++) {
            Probe probe = Probe.draw(objective, random, draw % 2 == 1);
            for (String tower : objective.towers()) {
                TowerRowUse use = objective.rowUse(tower);
                if (use == TowerRowUse.CLICKED_ROWS_ONLY) {
                    checkValuesIgnoreUnclickedRows(objective, tower, probe, random);
                }
                if (use == TowerRowUse.CLICKED_ROWS_ONLY
                        || use == TowerRowUse.GRADIENT_ON_CLICKED_ROWS_ONLY) {
                    checkNoGradientOnUnclickedRows(objective, tower, use, probe);
                }
            }
        }
    }

    private static void checkValuesIgnoreUnclickedRows(
            Objective objective, String tower, Probe probe, SplittableRandom random) {
        Map<String, Double> before = values(objective.loss(DoubleOps.INSTANCE, probe.doubles()));
        Map<String, double[]> changed = new LinkedHashMap<>(probe.logits());
        double[] redrawn = probe.logits().get(tower).clone();
        for (int i = 0; i < ROWS; i++) {
            if (probe.clicks()[i] == 0) {
                redrawn[i] = -3 + 6 * random.nextDouble();
            }
        }
        changed.put(tower, redrawn);
        Map<String, Double> after =
                values(objective.loss(DoubleOps.INSTANCE, probe.withLogits(changed).doubles()));
        for (var term : before.entrySet()) {
            double a = term.getValue();
            double b = after.get(term.getKey());
            if (!(Math.abs(a - b) <= TOLERANCE * (1 + Math.abs(a)))) {
                throw new AssertionError(
                        "Objective '"
                                + objective.name()
                                + "' declares tower '"
                                + tower
                                + "' "
                                + TowerRowUse.CLICKED_ROWS_ONLY
                                + ", but its "
                                + term.getKey()
                                + " went from "
                                + a
                                + " to "
                                + b
                                + " when only the unclicked rows' logits of '"
                                + tower
                                + "' changed"
                                + probe.describe());
            }
        }
    }

    private static void checkNoGradientOnUnclickedRows(
            Objective objective, String tower, TowerRowUse use, Probe probe) {
        for (int row = 0; row < ROWS; row++) {
            if (probe.clicks()[row] != 0) {
                continue;
            }
            LossTerms<Dual> loss = objective.loss(DualOps.INSTANCE, probe.duals(tower, row));
            double value = DualOps.INSTANCE.value(loss.total());
            double derivative = DualOps.INSTANCE.derivative(loss.total());
            if (!(Math.abs(derivative) <= TOLERANCE * (1 + Math.abs(value)))) {
                throw new AssertionError(
                        "Objective '"
                                + objective.name()
                                + "' declares tower '"
                                + tower
                                + "' "
                                + use
                                + ", but the derivative of its total with respect to the logit"
                                + " of unclicked row "
                                + row
                                + " is "
                                + derivative
                                + probe.describe());
            }
        }
    }

    private static Map<String, Double> values(LossTerms<double[]> loss) {
        var out = new LinkedHashMap<String, Double>();
        loss.terms()
                .forEach((name, v) -> out.put("term '" + name + "'", DoubleOps.INSTANCE.value(v)));
        out.put("total", DoubleOps.INSTANCE.value(loss.total()));
        return out;
    }

    /** One probe batch on plain doubles: labels, logits per tower, true propensity, weights. */
    private record Probe(
            double[] clicks,
            double[] conversions,
            Map<String, double[]> logits,
            double[] truePropensity,
            Optional<double[]> rowWeights) {

        static Probe draw(Objective objective, SplittableRandom random, boolean weighted) {
            double[] clicks = new double[ROWS];
            double[] conversions = new double[ROWS];
            double[] truth = new double[ROWS];
            double[] weights = new double[ROWS];
            for (int i = 0; i < ROWS; i++) {
                clicks[i] = i % 3 == 0 ? 1 : 0;
                conversions[i] = clicks[i] == 1 && random.nextBoolean() ? 1 : 0;
                truth[i] = 0.05 + 0.9 * random.nextDouble();
                weights[i] = clicks[i] == 1 ? 1 : 0.5 + 3 * random.nextDouble();
            }
            var logits = new LinkedHashMap<String, double[]>();
            for (String tower : objective.towers()) {
                double[] z = new double[ROWS];
                for (int i = 0; i < ROWS; i++) {
                    z[i] = -3 + 6 * random.nextDouble();
                }
                logits.put(tower, z);
            }
            return new Probe(
                    clicks,
                    conversions,
                    logits,
                    truth,
                    weighted ? Optional.of(weights) : Optional.empty());
        }

        Probe withLogits(Map<String, double[]> changed) {
            return new Probe(clicks, conversions, changed, truePropensity, rowWeights);
        }

        ObjectiveInput<double[]> doubles() {
            var copies = new LinkedHashMap<String, double[]>();
            logits.forEach((tower, z) -> copies.put(tower, z.clone()));
            return new ObjectiveInput<>(
                    clicks.clone(),
                    conversions.clone(),
                    new TowerOutputs<>(copies),
                    Optional.of(truePropensity.clone()),
                    rowWeights.map(double[]::clone));
        }

        /** The batch on duals, differentiating along the logit of {@code tower} on {@code row}. */
        ObjectiveInput<Dual> duals(String tower, int row) {
            var outputs = new LinkedHashMap<String, Dual>();
            logits.forEach(
                    (name, z) -> {
                        double[] direction = new double[ROWS];
                        if (name.equals(tower)) {
                            direction[row] = 1;
                        }
                        outputs.put(name, new Dual(z.clone(), direction));
                    });
            return new ObjectiveInput<>(
                    Dual.constant(clicks.clone()),
                    Dual.constant(conversions.clone()),
                    new TowerOutputs<>(outputs),
                    Optional.of(Dual.constant(truePropensity.clone())),
                    rowWeights.map(w -> Dual.constant(w.clone())));
        }

        String describe() {
            return " (probe batch of "
                    + ROWS
                    + " rows, every third clicked, "
                    + (rowWeights.isPresent() ? "with" : "without")
                    + " row weights); declare a weaker use ("
                    + TowerRowUse.ALL_ROWS
                    + " is always correct)";
        }
    }
}
