package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RocCurveTest {

    @Test
    void pointsPerDistinctScore() {
        RocCurve roc = RocCurve.of(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new int[] {0, 0, 1, 1});
        assertThat(roc.falsePositiveRate()).containsExactly(0, 0, 0.5, 0.5, 1);
        assertThat(roc.truePositiveRate()).containsExactly(0, 0.5, 0.5, 1, 1);
        assertThat(roc.thresholds()[1]).isEqualTo(0.8f);
        assertThat(roc.area()).isCloseTo(0.75, within(1e-12));
        assertThat(roc.thin(3).size()).isEqualTo(3);
        assertThat(roc.toTsv()).startsWith("threshold\tfpr\ttpr\n");
    }

    @Property(tries = 40, seed = "13")
    void trapezoidalAreaIsTheExactAucWithTies(
            @ForAll long seed, @ForAll @IntRange(min = 2, max = 5000) int n) {
        var d = AucTest.tiedData(seed, n, 13);
        assertThat(RocCurve.of(d.scores(), d.labels()).area())
                .isCloseTo(Auc.compute(d.scores(), d.labels()), within(1e-12));
    }
}
