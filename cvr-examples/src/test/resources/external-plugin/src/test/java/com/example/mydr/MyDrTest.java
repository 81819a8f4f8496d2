package com.example.mydr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.ops.DoubleOps;
import org.junit.jupiter.api.Test;

/** my-dr's own checks, against cvr-api's double-precision Ops. */
class MyDrTest {
    private static final DoubleOps OPS = DoubleOps.INSTANCE;

    private static LossTerms<double[]> loss(double[] ctr, int[] clicks, int[] conversions) {
        double[] o = new double[clicks.length];
        double[] r = new double[clicks.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = clicks[i];
            r[i] = conversions[i];
        }
        var outputs =
                new TowerOutputs<>(
                        Map.of(
                                TowerNames.CTR, ctr,
                                TowerNames.CVR, new double[] {0.3, -1.2, 2.0, -0.4},
                                TowerNames.IMPUTATION, new double[] {-0.5, 0.8, 0.1, -2.0}));
        return new MyDrObjective(0.05).loss(OPS, ObjectiveInput.of(o, r, outputs));
    }

    @Test
    void withEveryRowClickedForSureTheDrTermIsTheClickedCrossEntropy() {
        int[] clicks = {1, 1, 1, 1};
        int[] conversions = {1, 0, 1, 0};
        var terms = loss(new double[] {40, 40, 40, 40}, clicks, conversions).terms();
        double[] cvr = {0.3, -1.2, 2.0, -0.4};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double q = 1 / (1 + Math.exp(-cvr[i]));
            expected -= conversions[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        assertEquals(expected / 4, OPS.value(terms.get("cvr")), 1e-6);
    }

    @Test
    void everyTermIsFiniteAndTheTotalIsTheirSum() {
        var loss = loss(new double[] {-3, 0.5, 1, -0.2}, new int[] {0, 1, 1, 0}, new int[] {0, 0, 1, 0});
        double sum = 0;
        for (var term : loss.terms().values()) {
            assertTrue(Double.isFinite(OPS.value(term)));
            sum += OPS.value(term);
        }
        assertEquals(sum, OPS.value(loss.total()), 1e-12);
    }

    @Test
    void aFloorOfZeroIsRefused() {
        var factory = new MyDrFactory();
        assertEquals("my-dr", factory.create(Map.of()).name());
        assertThrows(RuntimeException.class, () -> factory.create(Map.of("propensity-floor", "0")));
    }
}
