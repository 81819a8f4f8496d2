package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CollapseCheckTest {

    @Test
    void constantPredictionsFailTheRun() {
        float[] constant = new float[4640];
        java.util.Arrays.fill(constant, 0.4137f);
        CollapseCheck.Verdict v = CollapseCheck.check(constant);
        assertThat(v.failed()).isTrue();
        assertThat(v.message()).contains("constant test predictions").contains("4640 rows");
    }

    @Test
    void predictionsSpreadBelowTheToleranceCountAsConstant() {
        // 0.5 and its float neighbour differ by 6e-8 < 1e-7.
        float a = 0.5f;
        float b = Math.nextUp(a);
        assertThat(CollapseCheck.check(new float[] {a, b, a}).failed()).isTrue();
        assertThat(CollapseCheck.check(new float[] {0.5f, 0.5000002f}).failed()).isFalse();
    }

    @Test
    void varyingPredictionsPass() {
        CollapseCheck.Verdict v =
                CollapseCheck.check(new float[] {0.1f, 0.7f, 0.3f}, OptionalDouble.of(0.74));
        assertThat(v.failed()).isFalse();
        assertThat(v.reasons()).isEmpty();
        assertThat(v.message()).isEmpty();
    }

    @Test
    void aValidationAucOfExactlyOneHalfFailsTheRun() {
        float[] spread = {0.1f, 0.7f, 0.3f};
        CollapseCheck.Verdict v = CollapseCheck.check(spread, OptionalDouble.of(0.5));
        assertThat(v.failed()).isTrue();
        assertThat(v.message()).contains("validation AUC is exactly 0.5");
        assertThat(CollapseCheck.check(spread, OptionalDouble.of(0.5001)).failed()).isFalse();
    }

    @Test
    void nonFiniteOrMissingPredictionsFailTheRun() {
        assertThat(CollapseCheck.check(new float[] {0.2f, Float.NaN}).message())
                .contains("row 1 is NaN");
        assertThat(CollapseCheck.check(new float[0]).failed()).isTrue();
    }

    @Test
    void bothSymptomsAreReported() {
        CollapseCheck.Verdict v =
                CollapseCheck.check(new float[] {0.3f, 0.3f}, OptionalDouble.of(0.5));
        assertThat(v.reasons()).hasSize(2);
    }
}
