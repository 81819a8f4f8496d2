package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.backend.djl.step.NDArrayOps;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seams between an estimator's declarations and the network the backend builds: embedding
 * tables follow the declared groups, the objective reads each tower under its own name, and
 * predictions are the sigmoids of the towers they are named after.
 */
class TowerSeamTest {
    private static final String SIDE = "side";

    private static Estimator registered(String name) {
        CvrRuntime runtime = CvrRuntime.load();
        Assumptions.assumeTrue(
                runtime.estimatorNames().contains(name), "cvr-estimators is not on the class path");
        return runtime.estimator(name).create(Map.of());
    }

    /**
     * A tower with a table of its own, appended after the estimator's towers (so their initial
     * values do not change) and trained by {@link SideOnly}: training it moves nothing else.
     */
    private static List<Tower> withSide(List<Tower> towers) {
        var out = new ArrayList<Tower>(towers);
        out.add(TowerSpec.separate(SIDE));
        return out;
    }

    private static Estimator custom(
            String name, List<Tower> towers, Objective objective, String train) {
        return new ComposedEstimator(
                name,
                ConfigSchema.empty("estimator " + name).defaults(),
                towers,
                TestEstimators.NO_PROPENSITY,
                TestEstimators.NO_IMPUTATION,
                TrainingSchedule.joint(objective, Set.of(train)),
                OptionalDouble.empty());
    }

    /** Mean logit of the side tower: a loss that moves the side tower and its table only. */
    static final class SideOnly implements Objective {
        @Override
        public String name() {
            return "side-only";
        }

        @Override
        public Set<String> towers() {
            return Set.of(SIDE);
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            return LossTerms.single("side", ops.mean(in.outputs().get(SIDE)));
        }
    }

    private static Predictions trainAndPredict(Estimator estimator, InMemoryExposureSource data) {
        try (var backend = DjlBackendTest.backend(Map.of("epochs", "2"));
                var model = backend.train(TrainingRequest.of(estimator, data))) {
            assertThat(model.touchedRows().keySet())
                    .as("one table per distinct embedding group")
                    .isEqualTo(groups(estimator));
            return model.predict(data.data());
        }
    }

    private static Set<String> groups(Estimator estimator) {
        var out = new LinkedHashSet<String>();
        estimator.towers().forEach(t -> out.add(t.embeddingGroup()));
        return out;
    }

    @Test
    void everyRegisteredEstimatorGetsOneTablePerDistinctGroup() {
        CvrRuntime runtime = CvrRuntime.load();
        Assumptions.assumeFalse(runtime.estimatorNames().isEmpty(), "no estimator plugin");
        var data = SyntheticWorld.source(SyntheticWorld.small(400, 3).data(), 400, "small");
        try (var backend = DjlBackendTest.backend(Map.of())) {
            for (String name : runtime.estimatorNames()) {
                Estimator e = runtime.estimator(name).create(Map.of());
                try (var model = backend.train(TrainingRequest.of(e, data))) {
                    assertThat(new TreeSet<>(model.touchedRows().keySet()))
                            .as(name)
                            .isEqualTo(new TreeSet<>(groups(e)));
                    assertThat(model.towers())
                            .as(name)
                            .containsExactlyElementsOf(
                                    e.towers().stream().map(Tower::name).toList());
                }
            }
        }
    }

    /**
     * ESMM's towers share one table, ESMM-NS's do not: training only the CTR tower moves pCVR
     * through the shared embedding for ESMM, and leaves it exactly as it was for ESMM-NS.
     */
    @Test
    void trainingOnlyTheCtrTowerMovesPcvrForEsmmButNotForEsmmNs() {
        var data = SyntheticWorld.small(1000, 4);
        for (String name : List.of("esmm", "esmm-ns")) {
            List<Tower> towers = withSide(registered(name).towers());
            Predictions initial =
                    trainAndPredict(custom(name + "-side", towers, new SideOnly(), SIDE), data);
            Predictions ctrTrained =
                    trainAndPredict(
                            custom(
                                    name + "-ctr",
                                    towers,
                                    new TestEstimators.CtrOnly(),
                                    TowerNames.CTR),
                            data);
            double moved = 0;
            for (int i = 0; i < initial.size(); i++) {
                moved = Math.max(moved, Math.abs(initial.cvr()[i] - ctrTrained.cvr()[i]));
            }
            if (name.equals("esmm")) {
                assertThat(moved).as("esmm: pCVR moved by CTR training").isGreaterThan(1e-4);
            } else {
                assertThat(moved).as("esmm-ns: pCVR moved by CTR training").isZero();
            }
            assertThat(initial.ctr()).isNotEqualTo(ctrTrained.ctr());
        }
    }

    /** Records the probabilities of the ctr and cvr towers it is given, on NDArrays. */
    static final class Recording implements Objective {
        final List<float[]> ctr = new ArrayList<>();
        final List<float[]> cvr = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.CTR, TowerNames.CVR, SIDE);
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            if (ops instanceof NDArrayOps) {
                ctr.add(((NDArray) ops.sigmoid(in.outputs().get(TowerNames.CTR))).toFloatArray());
                cvr.add(((NDArray) ops.sigmoid(in.outputs().get(TowerNames.CVR))).toFloatArray());
            }
            return LossTerms.single("side", ops.mean(in.outputs().get(SIDE)));
        }
    }

    /**
     * The objective receives each tower's output under its own name, and predictions are those
     * towers' sigmoids: ctr and cvr towers are frozen (only a side tower trains), the whole data is
     * one batch in data order, so what the objective saw is what predict() returns afterwards.
     */
    @Test
    void theObjectiveSeesTheTowersThatPredictionsReport(@TempDir Path dir) throws Exception {
        var data = SyntheticWorld.small(300, 6);
        var recording = new Recording();
        var estimator =
                custom(
                        "recording",
                        withSide(
                                List.of(
                                        TowerSpec.shared(TowerNames.CTR),
                                        TowerSpec.shared(TowerNames.CVR))),
                        recording,
                        SIDE);
        try (var backend =
                        DjlBackendTest.backend(Map.of("batch-size", "512", "shuffle-rows", "0"));
                var model = backend.train(TrainingRequest.of(estimator, data))) {
            assertThat(recording.ctr).hasSize(1);
            Predictions p = model.predict(data.data());
            float[] seenCtr = recording.ctr.get(0);
            float[] seenCvr = recording.cvr.get(0);
            assertThat(seenCtr).hasSize(p.size());
            for (int i = 0; i < p.size(); i++) {
                assertThat(p.ctr()[i]).isCloseTo(seenCtr[i], within(1e-6f));
                assertThat(p.cvr()[i]).isCloseTo(seenCvr[i], within(1e-6f));
            }
            // The two towers differ (so a swap of names would be caught).
            assertThat(maxDifference(seenCtr, seenCvr)).isGreaterThan(1e-3);
            // Scored files say the same: ctcvr is ctr·cvr, row by row.
            Path csv = dir.resolve("scores.csv");
            model.score(data, csv);
            List<String> lines = Files.readAllLines(csv);
            assertThat(lines).hasSize(p.size() + 1);
            for (int i = 0; i < p.size(); i++) {
                String[] f = lines.get(i + 1).split(",");
                double ctr = Double.parseDouble(f[1]);
                double cvr = Double.parseDouble(f[2]);
                assertThat(ctr).isCloseTo(p.ctr()[i], within(1e-6));
                assertThat(cvr).isCloseTo(p.cvr()[i], within(1e-6));
                assertThat(Double.parseDouble(f[3])).isCloseTo(ctr * cvr, within(1e-6));
            }
        }
    }

    private static double maxDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
