package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.plugin.CvrRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ClickedRowsTest {
    private static Objective objective(String estimator) {
        CvrRuntime runtime = CvrRuntime.load();
        Assumptions.assumeTrue(
                runtime.estimatorNames().contains(estimator),
                "cvr-estimators is not on the class path");
        var e = runtime.estimator(estimator).create(Map.of("undersample-rate", "Infinity"));
        return e.schedule().stages().get(0).steps().get(0).objective();
    }

    private static Objective objectiveNoKeys(String estimator) {
        CvrRuntime runtime = CvrRuntime.load();
        Assumptions.assumeTrue(
                runtime.estimatorNames().contains(estimator),
                "cvr-estimators is not on the class path");
        return runtime.estimator(estimator)
                .create(Map.of())
                .schedule()
                .stages()
                .get(0)
                .steps()
                .get(0)
                .objective();
    }

    @Test
    void multiDrReadsItsCvrTowerOnClickedRowsAndTrainsItsImputationTowerThereOnly() {
        Objective o = objective("multi-dr");
        Set<String> towers = Set.copyOf(o.towers());
        assertThat(ClickedRows.towersReadOnClickedRows(o, towers, false))
                .containsExactly(TowerNames.CVR);
        try (var backend = DjlBackendTest.backend(Map.of())) {
            assertThat(
                            ClickedRows.towersWithGradientOnClickedRowsOnly(
                                    o,
                                    towers,
                                    Set.of(TowerNames.CTR, TowerNames.IMPUTATION),
                                    false,
                                    Engine.getEngine(DjlBackend.ENGINE),
                                    backend.manager()))
                    .containsExactly(TowerNames.IMPUTATION);
        }
    }

    @Test
    void multiIpwReadsItsCvrTowerOnClickedRowsOnly() {
        Objective o = objectiveNoKeys("multi-ipw");
        assertThat(ClickedRows.towersReadOnClickedRows(o, Set.copyOf(o.towers()), false))
                .containsExactly(TowerNames.CVR);
    }

    @Test
    void esmmReadsEveryTowerOnEveryRow() {
        Objective o = objectiveNoKeys("esmm");
        assertThat(ClickedRows.towersReadOnClickedRows(o, Set.copyOf(o.towers()), false)).isEmpty();
        try (var backend = DjlBackendTest.backend(Map.of())) {
            assertThat(
                            ClickedRows.towersWithGradientOnClickedRowsOnly(
                                    o,
                                    Set.copyOf(o.towers()),
                                    Set.copyOf(o.towers()),
                                    false,
                                    Engine.getEngine(DjlBackend.ENGINE),
                                    backend.manager()))
                    .isEmpty();
        }
    }
}
