package org.causalcvr.experiments.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.paper.PaperEstimatorsModule;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.TinyWorldAccess;
import org.causalcvr.experiments.report.ComparisonReport;
import org.junit.jupiter.api.Test;

/**
 * A run whose model predicts one constant is reported as failed and never averaged in: a fake
 * backend whose models predict {@code true_cvr} plus a seed-dependent tilt, except for the seeds it
 * is told to collapse, where every prediction is 0.3.
 */
class FailedRunsTest {
    private static final ConfigKey<Long> SEED =
            ConfigKey.ofLong("seed", 1, 0, Long.MAX_VALUE, "the run's seed");

    /** Registers the backend "fake", which collapses on {@code collapsing} seeds. */
    static final class FakePlugin extends AbstractModule implements CvrPlugin {
        private final Set<Long> collapsing;

        FakePlugin(Set<Long> collapsing) {
            this.collapsing = collapsing;
        }

        @Override
        protected void configure() {
            CvrBinders.backends(binder()).addBinding("fake").toInstance(new Factory(collapsing));
        }
    }

    record Factory(Set<Long> collapsing) implements BackendFactory {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String description() {
            return "predicts true_cvr, or a constant on the collapsing seeds";
        }

        @Override
        public ConfigSchema configSchema() {
            return new ConfigSchema("fake backend", List.of(SEED));
        }

        @Override
        public Backend create(Config config) {
            long seed = config.get(SEED);
            return new Backend() {
                @Override
                public String name() {
                    return "fake";
                }

                @Override
                public String device() {
                    return "cpu";
                }

                @Override
                public TrainedModel train(TrainingRequest request) {
                    return new Model(seed, collapsing.contains(seed));
                }

                @Override
                public TrainedModel load(Path directory) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {}
            };
        }
    }

    record Model(long seed, boolean constant) implements TrainedModel {
        @Override
        public Provenance provenance() {
            return new Provenance(
                    "base", Map.of(), "fake", Map.of(), seed, "none", "tiny", "test", "now");
        }

        @Override
        public Predictions predict(ExposureBatch batch) {
            float[] ctr = new float[batch.size()];
            float[] cvr = new float[batch.size()];
            for (int i = 0; i < cvr.length; i++) {
                ctr[i] = 0.5f;
                float truth = batch.trueCvr().orElseThrow().getFloat(i);
                // A little noise that differs per seed, so healthy runs differ a little.
                cvr[i] =
                        constant
                                ? 0.3f
                                : (float) (truth * (0.5 + 0.1 * ((i * 31 + seed * 17) % 5)));
            }
            return new Predictions(ctr, cvr);
        }

        @Override
        public void save(Path directory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    private static ComparisonReport compare(Set<Long> collapsing) {
        var world = TinyWorldAccess.world(3);
        return Comparison.of(
                        CvrRuntime.of(
                                List.of(new PaperEstimatorsModule(), new FakePlugin(collapsing))))
                .estimators("base")
                .seeds(1, 2, 3, 4)
                .backend("fake")
                .train(TinyWorldAccess.rows(world, 0, 1000))
                .test(TinyWorldAccess.rows(world, 1000, 2000))
                .run();
    }

    private static ComparisonReport.Column trueAuc() {
        return ComparisonReport.COLUMNS.stream()
                .filter(c -> c.space().equals("cvr-exposure-true") && c.metric().equals("auc"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aConstantRunIsFailedAndLeftOutOfTheMean() {
        ComparisonReport healthy = compare(Set.of());
        ComparisonReport oneCollapsed = compare(Set.of(3L));

        var failed = oneCollapsed.failedRuns();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).seed()).isEqualTo(3);
        assertThat(failed.get(0).failure().orElseThrow()).startsWith("constant predictions");

        // The mean is that of the three healthy seeds, not dragged towards 0.5 by the fourth.
        var healthyValues = healthy.values("base", trueAuc());
        double meanOfOk = (healthyValues.get(0) + healthyValues.get(1) + healthyValues.get(3)) / 3;
        var summary = oneCollapsed.summary("base", trueAuc());
        assertThat(summary.runs()).isEqualTo(3);
        assertThat(summary.mean()).isCloseTo(meanOfOk, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(summary.mean()).isGreaterThan(0.7);

        assertThat(oneCollapsed.cell("base", trueAuc())).endsWith("(3/4 ok)");
        assertThat(healthy.cell("base", trueAuc())).doesNotContain("ok");
        assertThat(oneCollapsed.text())
                .contains("1 run(s) failed")
                .contains("base seed 3: failed: constant predictions");

        @SuppressWarnings("unchecked")
        var runs = (List<Map<String, Object>>) oneCollapsed.json().get("runs");
        assertThat(runs.get(2)).containsEntry("status", "failed").containsKey("failure");
        assertThat(runs.get(0)).containsEntry("status", "ok").doesNotContainKey("failure");
    }

    @Test
    void anArmWhoseEveryRunCollapsedShowsFailedNotANumber() {
        ComparisonReport all = compare(Set.of(1L, 2L, 3L, 4L));
        assertThat(all.cell("base", trueAuc())).isEqualTo("failed (0/4 ok)");
        assertThat(all.summary("base", trueAuc()).runs()).isZero();
        assertThat(all.deLong()).isEmpty();
    }
}
