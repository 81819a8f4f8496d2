package org.causalcvr.backend.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.backend.djl.embedding.EmbeddingTable;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixFactorisationTest {
    private static InMemoryExposureSource world;
    private static InMemoryExposureSource holdout;

    @BeforeAll
    static void world() {
        world = SyntheticWorld.small(3000, 1);
        holdout =
                SyntheticWorld.source(
                        SyntheticWorld.generate(world.schema(), 400, 2), 256, "holdout");
    }

    private static DjlBackend backend(Map<String, String> extra) {
        var settings =
                new HashMap<>(
                        Map.of(
                                "preset", "mf",
                                "embedding-dim", "5",
                                "epochs", "2",
                                "threads", "1",
                                "shuffle-rows", "1000"));
        settings.putAll(extra);
        return new DjlBackendFactory().create(DjlOptions.SCHEMA.resolve(settings));
    }

    private static DjlTrainedModel train(DjlBackend backend, Estimator estimator) {
        return backend.train(
                new TrainingRequest(
                        estimator,
                        world,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        TrainingListener.NONE));
    }

    /** ⟨p_u, q_i⟩ + b_u + b_i + b from the trained parameters, row by row, in doubles. */
    private static double[] logitsByHand(
            DjlTrainedModel model, String tower, String userField, String itemField) {
        Network net = model.network();
        DenseTower t = net.towers.get(tower);
        EmbeddingTable table = net.tables.get(t.group);
        int d = net.embeddingDim;
        float b = t.params[0].toFloatArray()[0];
        int uf = net.schema.indexOf(userField);
        int itf = net.schema.indexOf(itemField);
        ExposureBatch rows = holdout.data();
        double[] out = new double[rows.size()];
        float[] pu = new float[d];
        float[] qi = new float[d];
        for (int r = 0; r < rows.size(); r++) {
            int u = net.layout.row(uf, rows.feature(uf).getInt(r), "holdout", r);
            int i = net.layout.row(itf, rows.feature(itf).getInt(r), "holdout", r);
            table.gather(new int[] {u}, 1, pu);
            table.gather(new int[] {i}, 1, qi);
            double dot = 0;
            for (int k = 0; k < d - 1; k++) {
                dot += (double) pu[k] * qi[k];
            }
            out[r] = dot + pu[d - 1] + qi[d - 1] + b;
        }
        return out;
    }

    private static double logit(float p) {
        return Math.log(p / (1.0 - p));
    }

    @Test
    void theLogitIsTheDotProductOfUserAndItemFactorsPlusTheThreeBiases() {
        try (var backend = backend(Map.of());
                var model = train(backend, TestEstimators.esmmLike())) {
            // The schema has no 'user'/'item' fields: the first USER field (f0) and the first ITEM
            // field (f1) are the defaults.
            double[] cvr = logitsByHand(model, TowerNames.CVR, "f0", "f1");
            double[] ctr = logitsByHand(model, TowerNames.CTR, "f0", "f1");
            Predictions p = model.predict(holdout.data());
            double spread = 0;
            for (int r = 0; r < cvr.length; r++) {
                assertThat(logit(p.cvr()[r])).isCloseTo(cvr[r], within(2e-4));
                assertThat(logit(p.ctr()[r])).isCloseTo(ctr[r], within(2e-4));
                spread = Math.max(spread, Math.abs(cvr[r] - cvr[0]));
            }
            // Trained, not a constant: the factors and biases moved away from their ~0 start.
            assertThat(spread).isGreaterThan(0.05);
            assertThat(model.network().towers.get(TowerNames.CVR).params).hasSize(1);
            assertThat(model.provenance().backendConfig())
                    .containsEntry("preset", "mf")
                    .containsEntry("mf-user-field", "user")
                    .containsEntry("mf-item-field", "item");
        }
    }

    @Test
    void namedFieldsAreTheOnesFactorised() {
        try (var backend = backend(Map.of("mf-user-field", "f2", "mf-item-field", "f3"));
                var model = train(backend, TestEstimators.esmmLike())) {
            double[] cvr = logitsByHand(model, TowerNames.CVR, "f2", "f3");
            Predictions p = model.predict(holdout.data());
            for (int r = 0; r < cvr.length; r++) {
                assertThat(logit(p.cvr()[r])).isCloseTo(cvr[r], within(2e-4));
            }
        }
    }

    @Test
    void separateEmbeddingGroupsGiveEachTowerItsOwnFactors() {
        // twoStage: the ctr (propensity) tower has an embedding table of its own.
        try (var backend = backend(Map.of());
                var model = train(backend, TestEstimators.twoStage(true))) {
            Network net = model.network();
            String cvrGroup = net.towers.get(TowerNames.CVR).group;
            String ctrGroup = net.towers.get(TowerNames.CTR).group;
            assertThat(ctrGroup).isNotEqualTo(cvrGroup);
            assertThat(net.tables).hasSize(2);
            double[] cvr = logitsByHand(model, TowerNames.CVR, "f0", "f1");
            double[] ctr = logitsByHand(model, TowerNames.CTR, "f0", "f1");
            Predictions p = model.predict(holdout.data());
            for (int r = 0; r < cvr.length; r++) {
                assertThat(logit(p.cvr()[r])).isCloseTo(cvr[r], within(2e-4));
                assertThat(logit(p.ctr()[r])).isCloseTo(ctr[r], within(2e-4));
            }
        }
    }

    @Test
    void saveAndLoadGiveIdenticalPredictions(@TempDir Path dir) {
        Path saved = dir.resolve("mf-model");
        try (var backend = backend(Map.of("mf-user-field", "f2"));
                var model = train(backend, TestEstimators.esmmLike())) {
            Predictions before = model.predict(holdout.data());
            model.save(saved);
            try (var other = backend(Map.of("preset", "small"));
                    var loaded = other.load(saved)) {
                Predictions after = loaded.predict(holdout.data());
                assertThat(after.cvr()).containsExactly(before.cvr());
                assertThat(after.ctr()).containsExactly(before.ctr());
                assertThat(loaded.network().towers.get(TowerNames.CVR).matrixFactorisation)
                        .isEqualTo(model.network().towers.get(TowerNames.CVR).matrixFactorisation);
                assertThat(loaded.network().architecture).isEqualTo(model.network().architecture);
            }
        }
    }

    @Test
    void badFieldChoicesAreRefusedNamingTheKey() {
        assertThatThrownBy(
                        () -> {
                            try (var backend = backend(Map.of("mf-item-field", "nope"));
                                    var model = train(backend, TestEstimators.esmmLike())) {
                                model.predict(holdout.data());
                            }
                        })
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mf-item-field")
                .hasMessageContaining("nope");
        assertThatThrownBy(
                        () -> {
                            try (var backend = backend(Map.of("mf-user-field", "history"));
                                    var model = train(backend, TestEstimators.esmmLike())) {
                                model.predict(holdout.data());
                            }
                        })
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("multi-valued");
        assertThatThrownBy(() -> DjlOptions.from(Map.of("preset", "mf", "hidden-sizes", "8-4")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("preset mf");
        // no hidden units to drop either
        assertThatThrownBy(() -> DjlOptions.from(Map.of("preset", "mf", "dropout", "0.2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'dropout'")
                .hasMessageContaining("preset mf");
    }
}
