package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void eceEqualWidthHandComputed() {
        float[] p = {0.1f, 0.2f, 0.7f, 0.9f};
        int[] y = {0, 1, 1, 1};
        CalibrationTable t = Calibration.binary(p, y, 2, Binning.EQUAL_WIDTH);
        // Bin [0, .5): mean .15 vs .5; bin [.5, 1]: mean .8 vs 1. ECE = ½·.35 + ½·.2.
        assertThat(t.ece()).isCloseTo(0.275, within(1e-6));
        assertThat(t.maxError()).isCloseTo(0.35, within(1e-6));
        assertThat(t.bins()).hasSize(2);
        assertThat(t.bins().get(0).rows()).isEqualTo(2);
        assertThat(t.bins().get(0).meanPredicted()).isCloseTo(0.15, within(1e-6));
        assertThat(t.bins().get(1).observedRate()).isEqualTo(1.0);
    }

    @Test
    void equalMassAndEqualWidthBinsDiffer() {
        float[] p = {0.4f, 0.1f, 0.3f, 0.2f};
        int[] y = {1, 0, 1, 0};
        // Equal width: everything in [0, .5): |.25 − .5|.
        assertThat(Calibration.binary(p, y, 2, Binning.EQUAL_WIDTH).ece())
                .isCloseTo(0.25, within(1e-6));
        // Equal mass: {.1, .2} vs 0 and {.3, .4} vs 1: ½·.15 + ½·.65.
        CalibrationTable t = Calibration.binary(p, y, 2, Binning.EQUAL_MASS);
        assertThat(t.ece()).isCloseTo(0.4, within(1e-6));
        assertThat(t.bins().get(0).lower()).isCloseTo(0.1, within(1e-6));
        assertThat(t.bins().get(0).upper()).isCloseTo(0.2, within(1e-6));
    }

    @Test
    void equalMassNeverSplitsTies() {
        float[] p = {0.2f, 0.2f, 0.9f, 0.2f};
        int[] y = {0, 1, 1, 0};
        CalibrationTable t = Calibration.binary(p, y, 2, Binning.EQUAL_MASS);
        assertThat(t.bins()).hasSize(2);
        assertThat(t.bins().get(0).rows()).isEqualTo(3);
        assertThat(t.bins().get(0).observedRate()).isCloseTo(1.0 / 3, within(1e-12));
        // ¾·|.2 − ⅓| + ¼·|.9 − 1|
        assertThat(t.ece()).isCloseTo(0.75 * (1.0 / 3 - 0.2) + 0.25 * 0.1, within(1e-6));
    }

    @Test
    void softCalibrationUsesTheTrueProbability() {
        float[] p = {0.1f, 0.3f};
        float[] q = {0.2f, 0.2f};
        assertThat(Calibration.soft(p, q, 1, Binning.EQUAL_WIDTH).ece())
                .isCloseTo(0.0, within(1e-6));
        assertThat(Calibration.soft(p, q, 2, Binning.EQUAL_MASS).ece())
                .isCloseTo(0.1, within(1e-6));
        assertThat(Calibration.soft(p, q, 2, Binning.EQUAL_MASS).toTsv())
                .startsWith("lower\tupper\trows\tmean_predicted\tobserved_rate\n")
                .hasLineCount(3);
    }

    @Test
    void logLossHandComputed() {
        assertThat(LogLoss.binary(new float[] {0.8f, 0.4f}, new int[] {1, 0}))
                .isCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, within(1e-7));
        // Soft: −.3 ln .5 − .7 ln .5 = ln 2.
        assertThat(LogLoss.soft(new float[] {0.5f}, new float[] {0.3f}))
                .isCloseTo(Math.log(2), within(1e-12));
        // Soft: −.25 ln .8 − .75 ln .2.
        assertThat(LogLoss.soft(new float[] {0.8f}, new float[] {0.25f}))
                .isCloseTo(-0.25 * Math.log(0.8) - 0.75 * Math.log(0.2), within(1e-7));
        // A certain wrong prediction is clamped at ε.
        assertThat(LogLoss.binary(new float[] {0f}, new int[] {1}, 1e-3))
                .isCloseTo(-Math.log(1e-3), within(1e-12));
    }
}
