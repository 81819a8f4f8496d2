package org.causalcvr.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {
    private final List<String> estimators =
            List.of("base", "esmm", "esmm-ns", "multi-dr", "multi-ipw", "naive-ipw");

    @Test
    void suggestsTheNearestNameForATypoOrTransposition() {
        assertThat(Names.nearest("mutli-dr", estimators)).contains("multi-dr");
        assertThat(Names.nearest("MULTI-IPW", estimators)).contains("multi-ipw");
        assertThat(Names.nearest("esm", estimators)).contains("esmm");
    }

    @Test
    void suggestsNothingWhenNoNameIsClose() {
        assertThat(Names.nearest("gradient-boosting", estimators)).isEmpty();
        assertThat(Names.nearest("x", List.of())).isEmpty();
    }

    @Test
    void editDistanceCountsInsertionsDeletionsSubstitutionsAndTranspositions() {
        assertThat(Names.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(Names.editDistance("ab", "ba")).isEqualTo(1);
        assertThat(Names.editDistance("", "abc")).isEqualTo(3);
        assertThat(Names.editDistance("same", "same")).isZero();
    }
}
