package org.causalcvr.backend.djl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Dropout masks: the share asked for, scaled to keep the mean, and a function of their inputs. */
class DropoutTest {
    @Test
    void aMaskZeroesTheRateAndScalesTheRestToKeepTheMean() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] mask =
                    new Dropout(0.3, 7)
                            .forTower("cvr")
                            .mask(m, 12, 0, null, 2000, 16)
                            .toFloatArray();
            int zeros = 0;
            double sum = 0;
            for (float v : mask) {
                if (v == 0f) {
                    zeros++;
                } else {
                    assertThat(v).isCloseTo((float) (1 / 0.7), within(1e-6f));
                }
                sum += v;
            }
            // 32,000 draws: the share zeroed within 4 standard errors of 0.3, the mean near 1
            assertThat(zeros / (double) mask.length)
                    .isCloseTo(0.3, within(4 * Math.sqrt(0.21 / 32000)));
            assertThat(sum / mask.length).isCloseTo(1.0, within(0.02));
        }
    }

    @Test
    void aRowDrawsTheMaskOfItsPlaceAndEachStepLayerAndTowerItsOwn() {
        try (NDManager m = NDManager.newBaseManager()) {
            Dropout d = new Dropout(0.5, 3).forTower("cvr");
            float[] all = d.mask(m, 4, 1, null, 6, 8).toFloatArray();
            float[] some = d.mask(m, 4, 1, new int[] {5, 2}, 2, 8).toFloatArray();
            for (int u = 0; u < 8; u++) {
                assertThat(some[u]).isEqualTo(all[5 * 8 + u]);
                assertThat(some[8 + u]).isEqualTo(all[2 * 8 + u]);
            }
            assertThat(d.mask(m, 4, 1, null, 6, 8).toFloatArray()).isEqualTo(all);
            assertThat(d.mask(m, 5, 1, null, 6, 8).toFloatArray()).isNotEqualTo(all);
            assertThat(d.mask(m, 4, 0, null, 6, 8).toFloatArray()).isNotEqualTo(all);
            assertThat(new Dropout(0.5, 3).forTower("ctr").mask(m, 4, 1, null, 6, 8).toFloatArray())
                    .isNotEqualTo(all);
        }
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new Dropout(1.0, 1)).hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Dropout(-0.1, 1)).hasMessageContaining("-0.1");
    }
}
