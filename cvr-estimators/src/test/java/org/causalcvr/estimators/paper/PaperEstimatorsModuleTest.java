package org.causalcvr.estimators.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.ScheduleKind;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.imputation.HeuristicImputation;
import org.causalcvr.estimators.imputation.ImputationTarget;
import org.causalcvr.estimators.imputation.ImputationTowerImputation;
import org.causalcvr.estimators.kit.EstimatorKeys;
import org.causalcvr.estimators.objective.DoublyRobustObjective;
import org.causalcvr.estimators.objective.InversePropensityObjective;
import org.causalcvr.estimators.objective.Normalisation;
import org.causalcvr.estimators.objective.SumObjective;
import org.causalcvr.estimators.propensity.CtrTowerPropensity;
import org.causalcvr.estimators.propensity.OraclePropensity;
import org.causalcvr.estimators.propensity.PropensityGradient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaperEstimatorsModuleTest {
    private static final List<String> TEN =
            List.of(
                    "base",
                    "esmm",
                    "esmm-ns",
                    "heuristic-dr",
                    "joint-learning-dr",
                    "multi-dr",
                    "multi-ipw",
                    "naive-imputation",
                    "naive-ipw",
                    "oversampling");

    private static final CvrRuntime RUNTIME = CvrRuntime.load();

    @Test
    void serviceLoaderFindsTheTenEstimatorsOfThePaper() {
        assertThat(RUNTIME.estimatorNames()).containsExactlyElementsOf(TEN);
        for (String name : TEN) {
            assertThat(RUNTIME.pluginOfEstimator(name))
                    .isEqualTo(PaperEstimatorsModule.class.getName());
            assertThat(RUNTIME.estimator(name).create(Map.of()).name()).isEqualTo(name);
        }
    }

    @Test
    void aMistypedNameSuggestsTheNearestEstimator() {
        assertThatThrownBy(() -> RUNTIME.estimator("mutli-dr"))
                .isInstanceOf(UnknownNameException.class)
                .hasMessageContaining("did you mean 'multi-dr'");
    }

    @ParameterizedTest
    @CsvSource({
        "oversampling, positive-weight, 0.5, '[1, +inf)'",
        "multi-dr, undersample-rate, 0, '(0, +inf]'",
        "multi-dr, undersample-rate, -1.5, '(0, +inf]'",
        "heuristic-dr, eta, 0, '(0, 1)'",
        "heuristic-dr, eta, 1, '(0, 1)'",
        "multi-ipw, ipw-bound-pct, 100.5, '[0, 100]'",
        "multi-dr, ipw-bound-pct, -3, '[0, 100]'",
        "naive-ipw, ipw-bound, 0, '(0, 1]'",
        "multi-dr, imputation-l2, -1, '[0, +inf)'",
        "multi-ipw, max-weight, 0.5, '[1, +inf]'",
    })
    void badValuesFailInOneLineWithKeyValueAndRange(
            String estimator, String key, String value, String range) {
        assertThatThrownBy(() -> RUNTIME.estimator(estimator).create(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'" + key + "'")
                .hasMessageContaining(String.valueOf(Double.parseDouble(value)))
                .hasMessageContaining(range)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void anUnsupervisedDetachedPropensityIsRejectedBecauseNothingWouldTrainIt() {
        assertThatThrownBy(
                        () ->
                                RUNTIME.estimator("multi-ipw")
                                        .create(Map.of("propensity-supervision", "false")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'propensity-supervision' = false")
                .hasMessageContaining("propensity-gradient=detached");
        Estimator attached =
                RUNTIME.estimator("multi-ipw")
                        .create(
                                Map.of(
                                        "propensity-supervision", "false",
                                        "propensity-gradient", "attached"));
        var main = (SumObjective) attached.schedule().mainObjective();
        assertThat(main.parts()).hasSize(1).first().isInstanceOf(InversePropensityObjective.class);
        assertThat(((CtrTowerPropensity) attached.propensity()).gradient())
                .isEqualTo(PropensityGradient.ATTACHED);
    }

    @Test
    void everyEstimatorBuildsACtrTowerForPctcvr() {
        for (String name : TEN) {
            Estimator estimator = RUNTIME.estimator(name).create(Map.of());
            assertThat(estimator.towers().stream().map(Tower::name))
                    .as(name)
                    .contains(TowerNames.CTR, TowerNames.CVR);
        }
    }

    @Test
    void theCtrTowerIsMultiTaskOnlyWhereTheCvrLossUsesIt() {
        for (String name : List.of("base", "oversampling", "naive-imputation", "esmm-ns")) {
            Estimator e = RUNTIME.estimator(name).create(Map.of());
            assertThat(group(e, TowerNames.CTR)).as(name).isNotEqualTo(group(e, TowerNames.CVR));
        }
        for (String name : List.of("esmm", "multi-ipw", "heuristic-dr")) {
            Estimator e = RUNTIME.estimator(name).create(Map.of());
            assertThat(group(e, TowerNames.CTR)).as(name).isEqualTo(group(e, TowerNames.CVR));
        }
        Estimator multiDr = RUNTIME.estimator("multi-dr").create(Map.of());
        assertThat(group(multiDr, TowerNames.IMPUTATION)).isEqualTo(group(multiDr, TowerNames.CVR));
        assertThat(multiDr.tower(TowerNames.IMPUTATION).l2()).isEqualTo(1e-4);
        Estimator jointLearning = RUNTIME.estimator("joint-learning-dr").create(Map.of());
        assertThat(
                        List.of(
                                group(jointLearning, TowerNames.CTR),
                                group(jointLearning, TowerNames.CVR),
                                group(jointLearning, TowerNames.IMPUTATION)))
                .doesNotHaveDuplicates();
    }

    @Test
    void onlyMultiDrUnderSamplesByDefault() {
        for (String name : TEN) {
            OptionalDouble rate = RUNTIME.estimator(name).create(Map.of()).unclickedSamplingRate();
            if (name.equals("multi-dr")) {
                assertThat(rate).hasValue(1.5);
            } else {
                assertThat(rate).as(name).isEmpty();
            }
        }
        assertThat(
                        RUNTIME.estimator("multi-dr")
                                .create(Map.of("undersample-rate", "Infinity"))
                                .unclickedSamplingRate())
                .isEmpty();
        assertThat(
                        RUNTIME.estimator("heuristic-dr")
                                .create(Map.of("undersample-rate", "3"))
                                .unclickedSamplingRate())
                .hasValue(3.0);
    }

    @Test
    void schedulesFollowThePaper() {
        Estimator naiveIpw = RUNTIME.estimator("naive-ipw").create(Map.of());
        assertThat(naiveIpw.schedule().kind()).isEqualTo(ScheduleKind.TWO_STAGE);
        assertThat(naiveIpw.schedule().stages().get(0).steps().get(0).trainableTowers())
                .containsExactly(TowerNames.CTR);
        assertThat(naiveIpw.schedule().stages().get(1).steps().get(0).trainableTowers())
                .containsExactly(TowerNames.CVR);

        Estimator jointLearning = RUNTIME.estimator("joint-learning-dr").create(Map.of());
        assertThat(jointLearning.schedule().kind()).isEqualTo(ScheduleKind.ALTERNATING);
        assertThat(jointLearning.schedule().stages()).hasSize(2);
        assertThat(jointLearning.schedule().stages().get(1).steps())
                .extracting(s -> s.name())
                .containsExactly("prediction", "imputation");
        assertThat(jointLearning.schedule().mainObjective())
                .isInstanceOf(DoublyRobustObjective.class);

        for (String name : List.of("base", "esmm", "multi-ipw", "multi-dr", "heuristic-dr")) {
            Estimator e = RUNTIME.estimator(name).create(Map.of());
            assertThat(e.schedule().kind()).as(name).isEqualTo(ScheduleKind.JOINT);
            assertThat(e.schedule().stages().get(0).steps().get(0).trainableTowers())
                    .containsExactlyInAnyOrderElementsOf(
                            e.towers().stream().map(Tower::name).toList());
        }
    }

    @Test
    void keysReachTheParts() {
        Estimator multiDr =
                RUNTIME.estimator("multi-dr")
                        .create(
                                Map.of(
                                        "normalisation", "self-normalised",
                                        "imputation-target", "pseudo-label",
                                        "propensity", "oracle",
                                        "ipw-bound", "0.01",
                                        "ipw-bound-pct", "60",
                                        "max-weight", "50",
                                        "imputation-l2", "0.5"));
        var main = (SumObjective) multiDr.schedule().mainObjective();
        var dr = (DoublyRobustObjective) main.parts().get(1);
        assertThat(dr.normalisation()).isEqualTo(Normalisation.SELF_NORMALISED);
        assertThat(((ImputationTowerImputation) dr.imputation()).target())
                .isEqualTo(ImputationTarget.PSEUDO_LABEL);
        var oracle = (OraclePropensity) dr.propensity();
        assertThat(oracle.clipping().floor()).isEqualTo(0.01);
        assertThat(oracle.clipping().boundPercent()).isEqualTo(60.0);
        assertThat(oracle.clipping().maxWeight()).isEqualTo(50.0);
        assertThat(multiDr.tower(TowerNames.IMPUTATION).l2()).isEqualTo(0.5);

        Estimator heuristic = RUNTIME.estimator("heuristic-dr").create(Map.of("eta", "0.01"));
        assertThat(((HeuristicImputation) heuristic.imputation()).eta()).isEqualTo(0.01);
        assertThat(
                        RUNTIME.estimator("heuristic-dr")
                                .configSchema()
                                .defaults()
                                .get(EstimatorKeys.ETA))
                .isEqualTo(0.002);
        assertThat(
                        RUNTIME.estimator("oversampling")
                                .configSchema()
                                .defaults()
                                .get(EstimatorKeys.POSITIVE_WEIGHT))
                .isEqualTo(5.0);
    }

    @Test
    void aConfigurationForAnotherEstimatorIsRejected() {
        var config = RUNTIME.estimator("multi-ipw").configSchema().defaults();
        assertThatThrownBy(() -> RUNTIME.estimator("naive-ipw").create(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("estimator multi-ipw")
                .hasMessageContaining("estimator naive-ipw");
    }

    private static String group(Estimator estimator, String tower) {
        return estimator.tower(tower).embeddingGroup();
    }
}
