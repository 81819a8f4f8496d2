package org.causalcvr.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.causalcvr.metrics.DeLong;
import org.causalcvr.metrics.EvaluationSpace;
import org.causalcvr.metrics.LabelledScores;
import org.causalcvr.metrics.UndefinedMetricException;
import org.junit.jupiter.api.Test;

/**
 * A comparison runs DeLong's test only where its variance is defined (two rows of each class), so
 * that a tiny test set (the carried Ali-CCP sample's test split: two clicks, one purchase) gives a
 * table without p-values instead of a failed command.
 */
class DeLongDefinedTest {
    private static LabelledScores scores(int... labels) {
        float[] s = new float[labels.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = i / (float) s.length;
        }
        return new LabelledScores(EvaluationSpace.CVR_CLICKED, s, labels, null);
    }

    @Test
    void theTestRunsOnlyWithTwoRowsOfEachClass() {
        LabelledScores onePositive = scores(0, 1);
        assertThat(ComparisonReport.bothClasses(onePositive)).isTrue();
        assertThat(ComparisonReport.deLongDefined(onePositive)).isFalse();
        assertThatThrownBy(
                        () ->
                                DeLong.compare(
                                        onePositive.scores(),
                                        onePositive.scores(),
                                        onePositive.labels()))
                .isInstanceOf(UndefinedMetricException.class);
        assertThat(ComparisonReport.deLongDefined(scores(0, 1, 1, 0, 0))).isTrue();
        assertThat(ComparisonReport.deLongDefined(scores(1, 1, 1, 0))).isFalse();
    }
}
