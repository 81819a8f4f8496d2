package org.causalcvr.estimators.propensity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.causalcvr.api.DataException;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.InversePropensityObjective;
import org.causalcvr.estimators.objective.Normalisation;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.testkit.ObjectiveValues;
import org.junit.jupiter.api.Test;

/** {@code propensity=column}: p̂ is the data's column, not the CTR tower's output. */
class ColumnPropensityTest {
    private static final DoubleOps OPS = DoubleOps.INSTANCE;
    private static final double[] O = {1, 1, 0, 1};
    private static final double[] R = {1, 0, 0, 0};
    private static final double[] R_HAT = {0.8, 0.3, 0.6, 0.5};
    private static final double[] TOWER_P = {0.5, 0.25, 0.2, 0.8};
    private static final double[] COLUMN_P = {0.1, 0.4, 0.08, 0.02};

    private static ObjectiveInput<double[]> batch() {
        var logits = new LinkedHashMap<String, double[]>();
        logits.put(TowerNames.CTR, ObjectiveValues.logits(TOWER_P));
        logits.put(TowerNames.CVR, ObjectiveValues.logits(R_HAT));
        return ObjectiveValues.inputFromLogits(O, R, logits, null);
    }

    private static double ce(double y, double q) {
        return -(y * Math.log(q) + (1 - y) * Math.log(1 - q));
    }

    @Test
    void ipwWithTheColumnDividesByTheDataPropensityNotTheTowers() {
        var ipw =
                new InversePropensityObjective(
                        new ColumnPropensity(PropensityClipping.floorAt(1e-6)),
                        Normalisation.EXPOSURE_COUNT);
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += O[i] * ce(R[i], R_HAT[i]) / COLUMN_P[i];
        }
        double loss = ObjectiveValues.total(ipw, batch().withPropensity(COLUMN_P));
        // By hand: (CE(1,.8)/.1 + CE(0,.3)/.4 + CE(0,.5)/.02) / 4 = 9.4451 (four decimals).
        assertThat(loss).isCloseTo(sum / 4, within(1e-12));
        assertThat(loss).isCloseTo(9.4451, within(1e-4));
        assertThat(ipw.towers()).containsExactly(TowerNames.CVR);
    }

    @Test
    void theColumnIsClippedLikeAnyPropensity() {
        var clipped = new ColumnPropensity(PropensityClipping.floorAt(0.05));
        double[] p = clipped.propensity(OPS, batch().withPropensity(COLUMN_P));
        assertThat(p).containsExactly(0.1, 0.4, 0.08, 0.05);
    }

    @Test
    void dataWithoutTheColumnFailsNamingIt() {
        var column = new ColumnPropensity(PropensityClipping.floorAt(1e-6));
        assertThatThrownBy(() -> column.propensity(OPS, batch()))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("column 'propensity': missing")
                .hasMessageContaining("--propensity naive-bayes");
    }

    @Test
    void theTruePropensityIsNotTheColumn() {
        // true_propensity present, propensity absent: propensity=column must not fall back to it.
        var truthOnly = ObjectiveValues.inputFromLogits(O, R, batch().outputs().logits(), TOWER_P);
        assertThatThrownBy(
                        () ->
                                new ColumnPropensity(PropensityClipping.floorAt(1e-6))
                                        .propensity(OPS, truthOnly))
                .isInstanceOf(DataException.class);
    }

    @Test
    void propensityColumnConfiguresEveryPropensityOfAnEstimator() {
        CvrRuntime runtime = CvrRuntime.load();
        Estimator multiDr =
                runtime.estimator("multi-dr")
                        .create(Map.of("propensity", "column", "ipw-bound", "0.01"));
        var main = (SumObjective) multiDr.schedule().mainObjective();
        var dr = (DoublyRobustObjective) main.parts().get(1);
        var column = (ColumnPropensity) dr.propensity();
        assertThat(column.clipping().floor()).isEqualTo(0.01);
        assertThat(column.name()).isEqualTo("column");
        assertThat(column.towers()).isEmpty();
    }
}
