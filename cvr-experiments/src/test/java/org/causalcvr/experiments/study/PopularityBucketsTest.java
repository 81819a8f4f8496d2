package org.causalcvr.experiments.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.experiments.TinyWorldAccess;
import org.junit.jupiter.api.Test;

/** Test rows bucketed by the training clicks of their user or item. */
class PopularityBucketsTest {
    private static final Object WORLD = TinyWorldAccess.world(8);

    @Test
    void bucketsOrderRowsByTrainingClicksInAboutEqualShares() {
        ExposureSource train = TinyWorldAccess.rows(WORLD, 0, 2000);
        ExposureSource test = TinyWorldAccess.rows(WORLD, 2000, 3000);
        PopularityBuckets b = PopularityBuckets.of(train, test, "item", 3);

        Map<Integer, Long> clicks = new HashMap<>();
        try (BatchCursor c = train.open()) {
            while (c.next()) {
                ExposureBatch x = c.batch();
                for (int r = 0; r < x.size(); r++) {
                    if (x.clicks().getInt(r) == 1) {
                        clicks.merge(x.feature(1).getInt(r), 1L, Long::sum);
                    }
                }
            }
        }
        int row = 0;
        long[] lo = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long[] hi = {-1, -1, -1};
        try (BatchCursor c = test.open()) {
            while (c.next()) {
                ExposureBatch x = c.batch();
                for (int r = 0; r < x.size(); r++, row++) {
                    long n = clicks.getOrDefault(x.feature(1).getInt(r), 0L);
                    int k = b.bucketOfRow()[row];
                    lo[k] = Math.min(lo[k], n);
                    hi[k] = Math.max(hi[k], n);
                }
            }
        }
        assertThat(row).isEqualTo(3000);
        // the tail's most clicked item is clicked less than the middle's least, and so on
        assertThat(hi[0]).isLessThan(lo[1]);
        assertThat(hi[1]).isLessThan(lo[2]);
        assertThat(b.lowestClicks()).containsExactly(lo);
        assertThat(b.highestClicks()).containsExactly(hi);
        for (long n : b.rows()) {
            assertThat(n).isBetween(700L, 1300L);
        }
        assertThat(b.name(0)).isEqualTo("tail");
        assertThat(b.label(2)).isEqualTo(lo[2] + "-" + hi[2] + " clicks");
    }

    @Test
    void aFieldTheDataLacksIsNamed() {
        ExposureSource rows = TinyWorldAccess.rows(WORLD, 0, 100);
        assertThatThrownBy(() -> PopularityBuckets.of(rows, rows, "shop", 3))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no field 'shop'");
        assertThatThrownBy(() -> PopularityBuckets.of(rows, rows, "user", 0))
                .isInstanceOf(ConfigException.class);
    }
}
