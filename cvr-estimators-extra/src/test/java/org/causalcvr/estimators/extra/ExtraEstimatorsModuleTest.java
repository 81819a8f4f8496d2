package org.causalcvr.estimators.extra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.ScaledObjective;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.estimators.paper.PaperEstimatorsModule;
import org.junit.jupiter.api.Test;

class ExtraEstimatorsModuleTest {
    private static final List<String> SEVEN =
            List.of("dcmt", "dr-bias", "dr-mse", "dr-v2", "escm2-dr", "ips-v2", "mrdr");

    private static final List<String> NEWER = List.of("stable-dr", "tdr-cl", "d-dr");

    private static final CvrRuntime RUNTIME = CvrRuntime.load();

    @Test
    void serviceLoaderFindsTheNewerDrEstimatorsWithTheirSourcesInTheirDescriptions() {
        for (String name : NEWER) {
            assertThat(RUNTIME.pluginOfEstimator(name))
                    .isEqualTo(ExtraEstimatorsModule.class.getName());
            assertThat(RUNTIME.estimator(name).create(Map.of()).name()).isEqualTo(name);
        }
        assertThat(RUNTIME.estimator("stable-dr").description()).contains("Li", "ICLR 2023");
        assertThat(RUNTIME.estimator("tdr-cl").description()).contains("Lyu", "ICLR 2023");
        assertThat(RUNTIME.estimator("d-dr").description()).contains("Ha et al.", "NeurIPS 2024");
    }

    @Test
    void serviceLoaderFindsNiseWithItsSourceAndSharedCtrAndCvrTowers() {
        assertThat(RUNTIME.pluginOfEstimator("nise"))
                .isEqualTo(ExtraEstimatorsModule.class.getName());
        Estimator nise = RUNTIME.estimator("nise").create(Map.of());
        assertThat(nise.name()).isEqualTo("nise");
        assertThat(RUNTIME.estimator("nise").description()).contains("Huang et al.", "RecSys 2024");
        assertThat(nise.towers().stream().map(Tower::name))
                .containsExactly(TowerNames.CTR, TowerNames.CVR);
        assertThat(nise.tower(TowerNames.CTR).embeddingGroup())
                .isEqualTo(nise.tower(TowerNames.CVR).embeddingGroup());
        assertThat(nise.unclickedSamplingRate()).isEmpty();
    }

    @Test
    void serviceLoaderFindsTheSevenEstimatorsBesideThePapers() {
        assertThat(RUNTIME.estimatorNames()).containsAll(SEVEN);
        assertThat(RUNTIME.estimatorNames())
                .containsAll(
                        PaperEstimatorsModule.factories().stream().map(f -> f.name()).toList());
        for (String name : SEVEN) {
            assertThat(RUNTIME.pluginOfEstimator(name))
                    .isEqualTo(ExtraEstimatorsModule.class.getName());
            assertThat(RUNTIME.estimator(name).create(Map.of()).name()).isEqualTo(name);
        }
    }

    @Test
    void everyEstimatorBuildsASharedCtrTowerSupervisedOverEveryExposure() {
        for (String name : SEVEN) {
            Estimator estimator = RUNTIME.estimator(name).create(Map.of());
            assertThat(estimator.tower(TowerNames.CTR).embeddingGroup())
                    .isEqualTo(estimator.tower(TowerNames.CVR).embeddingGroup());
            var parts = ((SumObjective) estimator.schedule().mainObjective()).parts();
            assertThat(parts.get(0).name()).as(name).isEqualTo("ctr");
        }
    }

    @Test
    void dcmtBuildsTwinCvrTowersAndPredictsWithTheFactualOne() {
        Estimator dcmt = RUNTIME.estimator("dcmt").create(Map.of());
        assertThat(dcmt.towers().stream().map(Tower::name))
                .containsExactly(TowerNames.CTR, TowerNames.CVR, "cvr-counterfactual");
    }

    @Test
    void theDrFamilyUsesTheLibrarysDrObjectiveForItsCvrTerm() {
        for (String name : List.of("mrdr", "dr-bias", "dr-mse", "dr-v2", "escm2-dr")) {
            var parts =
                    ((SumObjective)
                                    RUNTIME.estimator(name)
                                            .create(Map.of())
                                            .schedule()
                                            .mainObjective())
                            .parts();
            assertThat(
                            parts.stream()
                                    .map(p -> p instanceof ScaledObjective s ? s.objective() : p)
                                    .filter(DoublyRobustObjective.class::isInstance))
                    .as(name)
                    .hasSize(1);
        }
    }

    @Test
    void anUnsupervisedDetachedPropensityIsRejectedInOneLine() {
        for (String name : concat(SEVEN, NEWER)) {
            assertThatThrownBy(
                            () ->
                                    RUNTIME.estimator(name)
                                            .create(Map.of("propensity-supervision", "false")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("propensity-supervision")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        var all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
