package org.causalcvr.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;
import org.junit.jupiter.api.Test;

/** The row-use check accepts true declarations and catches planted wrong ones, naming them. */
class RowUseCheckTest {
    /** How a test objective reads its one tower {@code t}, and what it declares. */
    private enum Reading {
        /** mean(o·(σ(z) − r)²): nothing but the clicked rows matter. */
        CLICKED_PRODUCT,
        /** mean((σ(z) − o·r)²): every row's value and gradient matter. */
        EVERY_ROW,
        /** mean(detach(σ(z))) + mean(o·σ(z)): every row's value, only clicked rows' gradient. */
        DETACHED_ON_EVERY_ROW
    }

    private record Probed(String name, Reading reading, TowerRowUse declared) implements Objective {
        @Override
        public Set<String> towers() {
            return Set.of("t", "other");
        }

        @Override
        public TowerRowUse rowUse(String tower) {
            return tower.equals("t") ? declared : TowerRowUse.ALL_ROWS;
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
            T q = ops.sigmoid(input.outputs().get("t"));
            T o = input.clicks();
            T other = ops.mean(ops.sigmoid(input.outputs().get("other")));
            T value =
                    switch (reading) {
                        case CLICKED_PRODUCT ->
                                ops.mean(ops.mul(o, ops.square(ops.sub(q, input.conversions()))));
                        case EVERY_ROW ->
                                ops.mean(ops.square(ops.sub(q, ops.mul(o, input.conversions()))));
                        case DETACHED_ON_EVERY_ROW ->
                                ops.add(ops.mean(ops.detach(q)), ops.mean(ops.mul(o, q)));
                    };
            return LossTerms.single("main", ops.add(value, other));
        }
    }

    @Test
    void trueDeclarationsPass() {
        for (TowerRowUse use : TowerRowUse.values()) {
            assertThatCode(() -> RowUseCheck.verify(new Probed("ok", Reading.CLICKED_PRODUCT, use)))
                    .as("%s", use)
                    .doesNotThrowAnyException();
        }
        assertThatCode(
                        () ->
                                RowUseCheck.verify(
                                        new Probed(
                                                "ok",
                                                Reading.DETACHED_ON_EVERY_ROW,
                                                TowerRowUse.GRADIENT_ON_CLICKED_ROWS_ONLY)))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                RowUseCheck.verify(
                                        new Probed("ok", Reading.EVERY_ROW, TowerRowUse.ALL_ROWS)))
                .doesNotThrowAnyException();
    }

    @Test
    void aTowerReadOnEveryRowDeclaredClickedOnlyFailsNamingObjectiveAndTower() {
        assertThatThrownBy(
                        () ->
                                RowUseCheck.verify(
                                        new Probed(
                                                "planted",
                                                Reading.EVERY_ROW,
                                                TowerRowUse.CLICKED_ROWS_ONLY)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Objective 'planted'")
                .hasMessageContaining("tower 't'")
                .hasMessageContaining("CLICKED_ROWS_ONLY")
                .hasMessageContaining("term 'main'");
    }

    @Test
    void aDetachedReadOnEveryRowDeclaredClickedOnlyFailsOnTheValues() {
        assertThatThrownBy(
                        () ->
                                RowUseCheck.verify(
                                        new Probed(
                                                "detached",
                                                Reading.DETACHED_ON_EVERY_ROW,
                                                TowerRowUse.CLICKED_ROWS_ONLY)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Objective 'detached'")
                .hasMessageContaining("tower 't'")
                .hasMessageContaining("changed");
    }

    @Test
    void aGradientOnUnclickedRowsDeclaredAwayFailsNamingTheRow() {
        assertThatThrownBy(
                        () ->
                                RowUseCheck.verify(
                                        new Probed(
                                                "live",
                                                Reading.EVERY_ROW,
                                                TowerRowUse.GRADIENT_ON_CLICKED_ROWS_ONLY)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Objective 'live'")
                .hasMessageContaining("tower 't'")
                .hasMessageContaining("GRADIENT_ON_CLICKED_ROWS_ONLY")
                .hasMessageContaining("unclicked row");
    }
}
