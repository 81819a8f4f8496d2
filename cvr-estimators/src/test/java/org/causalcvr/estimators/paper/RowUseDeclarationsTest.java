package org.causalcvr.estimators.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.causalcvr.api.estimator.TowerRowUse.ALL_ROWS;
import static org.causalcvr.api.estimator.TowerRowUse.CLICKED_ROWS_ONLY;
import static org.causalcvr.api.estimator.TowerRowUse.GRADIENT_ON_CLICKED_ROWS_ONLY;

import java.util.Map;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.testkit.RowUseCheck;
import org.junit.jupiter.api.Test;

/**
 * The row-use declarations the backend's clicked-row savings rely on, pinned per estimator (the
 * conformance kit checks that each is true; this checks that the saving is declared at all).
 */
class RowUseDeclarationsTest {
    private static Objective main(String estimator, Map<String, String> settings) {
        return PaperEstimatorsModule.factories().stream()
                .filter(f -> f.name().equals(estimator))
                .findFirst()
                .orElseThrow()
                .create(settings)
                .schedule()
                .mainObjective();
    }

    private static TowerRowUse use(String estimator, String tower) {
        return main(estimator, Map.of()).rowUse(tower);
    }

    @Test
    void multiIpwNeedsItsCvrTowerOnClickedRowsOnly() {
        assertThat(use("multi-ipw", TowerNames.CVR)).isEqualTo(CLICKED_ROWS_ONLY);
        assertThat(use("multi-ipw", TowerNames.CTR)).isEqualTo(ALL_ROWS);
    }

    @Test
    void multiDrNeedsCvrOnClickedRowsAndTheImputationGradientOnClickedRowsOnly() {
        assertThat(use("multi-dr", TowerNames.CVR)).isEqualTo(CLICKED_ROWS_ONLY);
        assertThat(use("multi-dr", TowerNames.IMPUTATION)).isEqualTo(GRADIENT_ON_CLICKED_ROWS_ONLY);
        assertThat(use("multi-dr", TowerNames.CTR)).isEqualTo(ALL_ROWS);
    }

    @Test
    void aPseudoLabelImputationReadsTheCvrTowerOnEveryRow() {
        Objective pseudo = main("multi-dr", Map.of("imputation-target", "pseudo-label"));
        assertThat(pseudo.rowUse(TowerNames.CVR)).isEqualTo(ALL_ROWS);
        assertThat(use("heuristic-dr", TowerNames.CVR)).isEqualTo(ALL_ROWS);
        RowUseCheck.verify(pseudo);
    }

    @Test
    void esmmsCtcvrTermReadsCvrOnEveryRow() {
        assertThat(use("esmm", TowerNames.CVR)).isEqualTo(ALL_ROWS);
        assertThat(use("esmm-ns", TowerNames.CVR)).isEqualTo(ALL_ROWS);
        assertThat(use("naive-imputation", TowerNames.CVR)).isEqualTo(ALL_ROWS);
    }

    @Test
    void theClickSpaceLossesNeedCvrOnClickedRowsOnly() {
        assertThat(use("base", TowerNames.CVR)).isEqualTo(CLICKED_ROWS_ONLY);
        assertThat(use("oversampling", TowerNames.CVR)).isEqualTo(CLICKED_ROWS_ONLY);
    }

    @Test
    void jointLearningDrsStepsDeclareWhatTheirOwnObjectivesRead() {
        var schedule =
                PaperEstimatorsModule.factories().stream()
                        .filter(f -> f.name().equals("joint-learning-dr"))
                        .findFirst()
                        .orElseThrow()
                        .create(Map.of())
                        .schedule();
        for (var stage : schedule.stages()) {
            for (TrainingStep step : stage.steps()) {
                Objective objective = step.objective();
                switch (step.name()) {
                    case "prediction" -> {
                        assertThat(objective.rowUse(TowerNames.CVR)).isEqualTo(CLICKED_ROWS_ONLY);
                        assertThat(objective.rowUse(TowerNames.IMPUTATION))
                                .isEqualTo(GRADIENT_ON_CLICKED_ROWS_ONLY);
                    }
                    case "imputation" ->
                            assertThat(objective.rowUse(TowerNames.IMPUTATION))
                                    .isEqualTo(CLICKED_ROWS_ONLY);
                    default -> assertThat(objective.rowUse(TowerNames.CTR)).isEqualTo(ALL_ROWS);
                }
                RowUseCheck.verify(objective);
            }
        }
    }
}
