package org.causalcvr.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.junit.jupiter.api.Test;

class ConfoundedExposuresTest {
    private static final int ROWS = 20_000;

    private static ArrayExposureBatch world(double confounding, long seed) {
        return ConfoundedExposures.generate(
                ConfoundedExposures.schema(30, 20, 200, 8), confounding, ROWS, seed);
    }

    /** Mean true CVR of the clicked rows minus that of all rows: 0 when clicks are at random. */
    private static double selectionBias(ArrayExposureBatch world) {
        double all = 0;
        double clicked = 0;
        int clicks = 0;
        for (int r = 0; r < world.size(); r++) {
            all += world.trueCvrs()[r];
            if (world.clickLabels()[r] == 1) {
                clicked += world.trueCvrs()[r];
                clicks++;
            }
        }
        return clicked / clicks - all / world.size();
    }

    @Test
    void theSameSeedGivesTheSameRows() {
        ArrayExposureBatch a = world(1, 5);
        ArrayExposureBatch b = world(1, 5);
        assertThat(b.clickLabels()).isEqualTo(a.clickLabels());
        assertThat(b.conversionLabels()).isEqualTo(a.conversionLabels());
        assertThat(b.singleValued()).isEqualTo(a.singleValued());
        assertThat(b.truePropensities()).isEqualTo(a.truePropensities());
        assertThat(world(1, 6).clickLabels()).isNotEqualTo(a.clickLabels());
    }

    @Test
    void conversionsHappenOnlyOnClicksAndTheTruthIsAProbability() {
        ArrayExposureBatch world = world(1, 7);
        int clicks = 0;
        for (int r = 0; r < ROWS; r++) {
            assertThat(world.conversionLabels()[r]).isLessThanOrEqualTo(world.clickLabels()[r]);
            assertThat(world.truePropensities()[r]).isGreaterThan(0f).isLessThanOrEqualTo(1f);
            assertThat(world.trueCvrs()[r]).isBetween(0f, 1f);
            clicks += world.clickLabels()[r];
        }
        assertThat(clicks).isBetween(ROWS / 20, ROWS / 2);
    }

    @Test
    void confoundingMakesClickedRowsConvertMoreThanAllRowsWould() {
        assertThat(selectionBias(world(1, 8))).isGreaterThan(0.03);
        assertThat(Math.abs(selectionBias(world(0, 8)))).isLessThan(0.01);
    }

    @Test
    void theSourceStreamsEveryRowInBatches() {
        InMemoryExposureSource source = ConfoundedExposures.source(1_000, 300, 9);
        assertThat(source.rowCount()).hasValue(1_000);
        int rows = 0;
        int batches = 0;
        try (BatchCursor cursor = source.open()) {
            while (cursor.next()) {
                rows += cursor.batch().size();
                batches++;
            }
        }
        assertThat(rows).isEqualTo(1_000);
        assertThat(batches).isEqualTo(4);
        assertThat(source.schema().hasGroundTruth()).isTrue();
    }

    @Test
    void badArgumentsAreRejected() {
        var schema = ConfoundedExposures.schema(3);
        assertThatThrownBy(() -> ConfoundedExposures.generate(schema, -1, 10, 1))
                .hasMessageContaining("confounding");
        assertThatThrownBy(() -> ConfoundedExposures.generate(schema, 1, 0, 1))
                .hasMessageContaining("rows");
    }
}
