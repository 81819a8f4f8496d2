package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import org.junit.jupiter.api.Test;

class SeedSummaryTest {

    @Test
    void meanAndSampleStandardDeviation() {
        double[] aucs = {0.6921, 0.6955, 0.6890, 0.6978, 0.6902};
        SeedSummary s = SeedSummary.of(aucs);
        var reference = new DescriptiveStatistics(aucs);
        assertThat(s.mean()).isCloseTo(reference.getMean(), within(1e-15));
        assertThat(s.std()).isCloseTo(reference.getStandardDeviation(), within(1e-15));
        // Sample (n − 1), not population, deviation: 0.01 for {0.68, 0.69, 0.70}.
        assertThat(SeedSummary.of(0.68, 0.69, 0.70).std()).isCloseTo(0.01, within(1e-12));
        assertThat(SeedSummary.of(0.68, 0.69, 0.70).format(100, 2)).isEqualTo("69.00 ± 1.00");
        assertThat(SeedSummary.of(0.5).std()).isZero();
    }

    @Test
    void tableThreeLayout() {
        var table = new SeedTable();
        table.add("ESMM", "CVR AUC", 0.6856).add("ESMM", "CVR AUC", 0.6860);
        table.add("Multi-DR", "CVR AUC", 0.6929).add("Multi-DR", "CTCVR AUC", 0.6543);
        String text = table.format("Model", 100, 2);
        assertThat(text.lines().toList())
                .containsExactly(
                        "Model     CVR AUC       CTCVR AUC",
                        "ESMM      68.58 ± 0.03  -",
                        "Multi-DR  69.29 ± 0.00  65.43 ± 0.00");
        assertThat(table.summary("ESMM", "CVR AUC").runs()).isEqualTo(2);
    }
}
