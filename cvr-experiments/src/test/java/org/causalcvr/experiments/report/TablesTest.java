package org.causalcvr.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void aPipeInACellStaysInItsColumnOfAMarkdownTable() {
        String md =
                Tables.markdown(
                        List.of(List.of("estimator", "AUC"), List.of("oracle E[q | x]", "73.40")));
        String row = md.lines().toList().get(2);
        assertThat(row).isEqualTo("| oracle E[q \\| x] | 73.40 |");
        // a Markdown reader splits on the unescaped pipes only: two cells, as in the header
        assertThat(row.split("(?<!\\\\)\\|", -1)).hasSize(4);
    }
}
