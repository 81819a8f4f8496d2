package org.causalcvr.backend.djl.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.causalcvr.backend.djl.DjlBackend;
import org.causalcvr.backend.djl.DjlBackendTest;
import org.junit.jupiter.api.Test;

/** Clipping by global norm rescales every gradient by one factor, and only when it must. */
class GradientNormClipTest {
    @Test
    void gradientsLongerThanTheBoundAreRescaledToItTogether() {
        try (DjlBackend engineUp = DjlBackendTest.backend(Map.of());
                NDManager m = Engine.getEngine(DjlBackend.ENGINE).newBaseManager()) {
            // Joint norm √(3² + 4² + 12²) = 13, across an engine array and a host array.
            NDArray tower = m.create(new float[] {3f, 4f});
            float[] rows = {12f};
            var clip = new GradientNormClip(6.5);
            double before = clip.apply(List.of(tower), List.of(rows));
            assertThat(before).isCloseTo(13, within(1e-12));
            assertThat(clip.binds(before)).isTrue();
            assertThat(tower.toFloatArray()).containsExactly(1.5f, 2f);
            assertThat(rows).containsExactly(6f);
            assertThat(GradientNormClip.norm(List.of(tower), List.of(rows)))
                    .isCloseTo(6.5, within(1e-6));
        }
    }

    @Test
    void gradientsWithinTheBoundOrWithClippingOffAreLeftAsTheyAre() {
        try (DjlBackend engineUp = DjlBackendTest.backend(Map.of());
                NDManager m = Engine.getEngine(DjlBackend.ENGINE).newBaseManager()) {
            NDArray tower = m.create(new float[] {3f, 4f});
            float[] rows = {12f};
            var loose = new GradientNormClip(13.5);
            assertThat(loose.binds(loose.apply(List.of(tower), List.of(rows)))).isFalse();
            assertThat(GradientNormClip.NONE.apply(List.of(tower), List.of(rows))).isNaN();
            assertThat(tower.toFloatArray()).containsExactly(3f, 4f);
            assertThat(rows).containsExactly(12f);
        }
    }

    @Test
    void aNegativeOrNanBoundIsRefused() {
        assertThatThrownBy(() -> new GradientNormClip(-1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GradientNormClip(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
