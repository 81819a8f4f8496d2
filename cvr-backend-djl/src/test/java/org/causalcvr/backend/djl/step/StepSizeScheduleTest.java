package org.causalcvr.backend.djl.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The step size of a step is the schedule's formula at the step's place in its stage. */
class StepSizeScheduleTest {

    private static StepPlace batch(int epoch, long b, long of) {
        return new StepPlace("stage", "step", epoch, b, b, of);
    }

    @Test
    void aConstantRateIsTheSameAtEveryPlace() {
        var constant = StepSizeSchedule.constant(0.003);
        assertThat(constant.changesWithinStage()).isFalse();
        assertThat(constant.at(batch(0, 0, 10))).isEqualTo(0.003);
        assertThat(constant.at(batch(2, 9, 10))).isEqualTo(0.003);
        assertThat(constant.at(new StepPlace("s", "t", 0, 7))).isEqualTo(0.003);
    }

    /** 10 batches, warm-up 0.25: ⌈2.5⌉ = 3 warm-up batches at 1/3, 2/3 and 3/3 of the rate. */
    @Test
    void aWarmUpRisesLinearlyOverItsShareOfTheStageRoundedUp() {
        var warm = new StepSizeSchedule(0.01, 1.0, 1.0, 0.25);
        assertThat(warm.changesWithinStage()).isTrue();
        assertThat(warm.at(batch(0, 0, 10))).isCloseTo(0.01 / 3, within(1e-15));
        assertThat(warm.at(batch(0, 1, 10))).isCloseTo(0.02 / 3, within(1e-15));
        assertThat(warm.at(batch(0, 2, 10))).isCloseTo(0.01, within(1e-15));
        assertThat(warm.at(batch(0, 9, 10))).isCloseTo(0.01, within(1e-15));
    }

    /** Anneal to a tenth over 5 batches of 2 epochs each, decay 0.5 per epoch, warm-up 0.2 (2). */
    @Test
    void theFactorsMultiplyAndTheAnnealRunsOverEveryEpochOfTheStage() {
        var all = new StepSizeSchedule(1.0, 0.5, 0.1, 0.2);
        // batch 0 of 10: first warm-up batch (1/2), no anneal yet
        assertThat(all.at(batch(0, 0, 10))).isCloseTo(0.5, within(1e-15));
        // batch 4 (epoch 0): anneal 1 − 0.9·0.4
        assertThat(all.at(batch(0, 4, 10))).isCloseTo(1 - 0.9 * 0.4, within(1e-15));
        // batch 7 (epoch 1): decay 0.5, anneal 1 − 0.9·0.7
        assertThat(all.at(batch(1, 7, 10))).isCloseTo(0.5 * (1 - 0.9 * 0.7), within(1e-15));
    }

    @Test
    void aStageOfUnknownLengthTakesOnlyTheRateAndTheDecay() {
        var all = new StepSizeSchedule(1.0, 0.5, 0.1, 0.2);
        assertThat(all.at(new StepPlace("s", "t", 1, 3))).isEqualTo(0.5);
    }

    @Test
    void settingsOutsideTheirRangesAndPlacesOutsideTheStageAreRefused() {
        assertThatThrownBy(() -> new StepSizeSchedule(0.01, 1.0, 1.0, 1.0))
                .hasMessageContaining("warm-up");
        assertThatThrownBy(() -> new StepSizeSchedule(0.01, 1.0, 1.5, 0.0))
                .hasMessageContaining("end");
        assertThatThrownBy(() -> new StepSizeSchedule(0.01, 0.0, 1.0, 0.0))
                .hasMessageContaining("decay");
        assertThatThrownBy(() -> batch(0, 10, 10))
                .hasMessageContaining("batch 10 of a stage of 10");
    }
}
