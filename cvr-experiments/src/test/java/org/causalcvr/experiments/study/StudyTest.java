package org.causalcvr.experiments.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.google.inject.AbstractModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.estimators.paper.PaperEstimatorsModule;
import org.causalcvr.experiments.Comparison;
import org.causalcvr.experiments.TinyWorldAccess;
import org.causalcvr.metrics.Auc;
import org.causalcvr.metrics.DeLong;
import org.causalcvr.metrics.Evaluator;
import org.causalcvr.metrics.PairedTTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study's figures are those of its models, checked against a fake backend whose models are known:
 * "esmm" predicts {@code true_cvr} itself, "base" predicts {@code true_cvr} scrambled on the rows
 * of odd items (plus a seed-dependent offset), so esmm's AUC against the truth is the best
 * possible, its bias is 0, and it beats base on every seed.
 */
class StudyTest {
    private static final ConfigKey<Long> SEED =
            ConfigKey.ofLong("seed", 1, 0, Long.MAX_VALUE, "the run's seed");

    static final class FakePlugin extends AbstractModule implements CvrPlugin {
        @Override
        protected void configure() {
            CvrBinders.backends(binder()).addBinding("fake").toInstance(new Factory());
        }
    }

    record Factory() implements BackendFactory {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String description() {
            return "esmm predicts true_cvr, base true_cvr scrambled on odd items";
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
                    return new Model(request.estimator().name(), seed);
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

    record Model(String estimator, long seed) implements TrainedModel {
        @Override
        public Provenance provenance() {
            return new Provenance(
                    estimator, Map.of(), "fake", Map.of(), seed, "none", "tiny", "test", "now");
        }

        @Override
        public Predictions predict(ExposureBatch batch) {
            return new Predictions(new float[batch.size()], prediction(estimator, seed, batch));
        }

        @Override
        public void save(Path directory) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    static float[] prediction(String estimator, long seed, ExposureBatch batch) {
        float[] cvr = new float[batch.size()];
        int item = batch.schema().indexOf("item");
        for (int i = 0; i < cvr.length; i++) {
            float truth = batch.trueCvr().orElseThrow().getFloat(i);
            boolean scrambled = estimator.equals("base") && batch.feature(item).getInt(i) % 2 == 1;
            cvr[i] = scrambled ? (float) (((i * 7919L + seed * 31) % 101) / 101.0) : truth;
            cvr[i] = estimator.equals("base") ? Math.min(1f, cvr[i] + 0.01f * seed) : cvr[i];
        }
        return cvr;
    }

    private static final Object WORLD = TinyWorldAccess.world(5);

    private static ExposureSource train() {
        return TinyWorldAccess.rows(WORLD, 0, 3000);
    }

    private static ExposureSource test() {
        return TinyWorldAccess.rows(WORLD, 3000, 2000);
    }

    /** A comparison of {@code estimators} on the fake backend, whose models are known. */
    private static Comparison fakeComparison(String... estimators) {
        return Comparison.of(CvrRuntime.of(List.of(new PaperEstimatorsModule(), new FakePlugin())))
                .estimators(estimators)
                .backend("fake");
    }

    /** The tiny world with {@code oracles} beside its test rows. */
    private static StudyWorld withOracles(OracleScores... oracles) {
        return new StudyWorld(
                "tiny", train(), java.util.Optional.empty(), test(), "", List.of(oracles));
    }

    private static Study study() {
        return Study.of(fakeComparison("base", "esmm").seeds(1, 2, 3))
                .against(List.of("base", "esmm"))
                .buckets(List.of("user", "item"), 3)
                .title("tiny study")
                .world(new StudyWorld("tiny", train(), test(), "esmm should win"));
    }

    /**
     * The test rows' truth, labels and base predictions, read batch by batch as models see them.
     */
    private record TestRows(float[] truth, int[] clicks, int[] conversions, float[][] base) {
        int size() {
            return truth.length;
        }

        static TestRows read(int seeds) {
            var truth = new java.util.ArrayList<Float>();
            var clicks = new java.util.ArrayList<Integer>();
            var conversions = new java.util.ArrayList<Integer>();
            var base = new java.util.ArrayList<float[]>();
            try (BatchCursor c = test().open()) {
                while (c.next()) {
                    ExposureBatch b = c.batch();
                    float[][] p = new float[seeds][];
                    for (int s = 0; s < seeds; s++) {
                        p[s] = prediction("base", s + 1, b);
                    }
                    for (int i = 0; i < b.size(); i++) {
                        truth.add(b.trueCvr().orElseThrow().getFloat(i));
                        clicks.add(b.clicks().getInt(i));
                        conversions.add(b.conversions().getInt(i));
                        float[] row = new float[seeds];
                        for (int s = 0; s < seeds; s++) {
                            row[s] = p[s][i];
                        }
                        base.add(row);
                    }
                }
            }
            int n = truth.size();
            float[] q = new float[n];
            int[] o = new int[n];
            int[] r = new int[n];
            float[][] b = new float[seeds][n];
            for (int i = 0; i < n; i++) {
                q[i] = truth.get(i);
                o[i] = clicks.get(i);
                r[i] = conversions.get(i);
                for (int s = 0; s < seeds; s++) {
                    b[s][i] = base.get(i)[s];
                }
            }
            return new TestRows(q, o, r, b);
        }
    }

    @Test
    void theFiguresAreThoseOfTheModelsAgainstTheTruth() {
        StudyReport report = study().run();
        WorldOutcome w = report.worlds().get(0);
        ArmOutcome base = w.arm("base").orElseThrow();
        ArmOutcome esmm = w.arm("esmm").orElseThrow();
        TestRows rows = TestRows.read(3);
        float[] truth = rows.truth();
        double meanTruth = 0;
        for (float q : truth) {
            meanTruth += q;
        }
        meanTruth /= truth.length;

        // esmm predicts the truth: the best AUC there is, no bias, on every seed
        assertThat(esmm.auc()).hasSize(3);
        for (int s = 0; s < 3; s++) {
            assertThat(esmm.auc()[s]).isCloseTo(Auc.soft(truth, truth), offset(1e-9));
            assertThat(esmm.bias()[s]).isCloseTo(0.0, offset(1e-6));
        }
        // base: its AUC and bias are those of its predictions, seed by seed
        for (int s = 0; s < 3; s++) {
            float[] p = rows.base()[s];
            double meanP = 0;
            for (float v : p) {
                meanP += v;
            }
            meanP /= p.length;
            assertThat(base.auc()[s]).isCloseTo(Auc.soft(p, truth), offset(1e-9));
            assertThat(base.bias()[s]).isCloseTo(meanP - meanTruth, offset(1e-6));
        }
        // DeLong against base with the same seed, on the drawn labels of every exposure
        assertThat(base.tests("base")).isEmpty();
        assertThat(esmm.tests("base")).hasSize(3);
        int[] drawn = new int[rows.size()];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] =
                    rows.clicks()[i] == 1
                            ? rows.conversions()[i]
                            : (Evaluator.uniform(0, i) < truth[i] ? 1 : 0);
        }
        var expected = DeLong.compare(truth, rows.base()[1], drawn);
        var second = esmm.deLong().get("base").get(1).orElseThrow();
        assertThat(second.difference()).isCloseTo(expected.difference(), offset(1e-12));
        assertThat(second.pValue()).isCloseTo(expected.pValue(), offset(1e-12));
        assertThat(esmm.seedsSignificantlyAbove("base", 0.05)).isEqualTo(3);
        // against several references: base is tested against esmm, the mirror image
        var mirror = base.deLong().get("esmm").get(1).orElseThrow();
        assertThat(mirror.difference()).isCloseTo(-expected.difference(), offset(1e-12));
        assertThat(base.seedsSignificantlyBelow("esmm", 0.05)).isEqualTo(3);

        // by item bucket: esmm's AUC in a bucket is the truth's on the bucket's rows
        PopularityBuckets items = w.buckets().get(1);
        assertThat(items.field()).isEqualTo("item");
        assertThat(java.util.Arrays.stream(items.rows()).sum()).isEqualTo(rows.size());
        for (int k = 0; k < items.size(); k++) {
            int[] in = items.rowsOf(k);
            float[] q = new float[in.length];
            float[] p = new float[in.length];
            float[] b = rows.base()[0];
            for (int i = 0; i < in.length; i++) {
                q[i] = truth[in[i]];
                p[i] = b[in[i]];
            }
            assertThat(esmm.bucketAuc().get("item")[k][0]).isCloseTo(Auc.soft(q, q), offset(1e-9));
            assertThat(base.bucketAuc().get("item")[k][0]).isCloseTo(Auc.soft(p, q), offset(1e-9));
        }
    }

    @Test
    void anOracleIsMeasuredOnTheSameRowsAndTruthAsTheEstimators(@TempDir Path dir)
            throws Exception {
        TestRows rows = TestRows.read(1);
        float[] truth = rows.truth();
        // an oracle that knows the truth up to a shift, and one that knows base's first seed
        float[] shifted = new float[truth.length];
        for (int i = 0; i < truth.length; i++) {
            shifted[i] = truth[i] + 0.01f;
        }
        float[] likeBase = rows.base()[0];
        StudyWorld world =
                withOracles(
                        new OracleScores("shifted truth", "the truth plus 0.01.", shifted),
                        new OracleScores("like base", "base's seed 1.", likeBase));
        StudyReport report =
                Study.of(fakeComparison("base", "esmm").seeds(1))
                        .buckets(List.of("item"), 3)
                        .world(world)
                        .run();
        WorldOutcome w = report.worlds().get(0);
        assertThat(w.oracles())
                .extracting(OracleOutcome::name)
                .containsExactly("shifted truth", "like base");
        OracleOutcome shift = w.oracles().get(0);
        OracleOutcome base = w.oracles().get(1);
        // the ranking of the truth is the truth's, its bias the shift
        assertThat(shift.auc()).isCloseTo(Auc.soft(truth, truth), offset(1e-9));
        assertThat(shift.bias()).isCloseTo(0.01, offset(1e-6));
        // an oracle with base's scores gets base's figures, bucket by bucket too
        ArmOutcome arm = w.arm("base").orElseThrow();
        assertThat(base.auc()).isCloseTo(arm.auc()[0], offset(1e-12));
        assertThat(base.bias()).isCloseTo(arm.bias()[0], offset(1e-6));
        for (int k = 0; k < 3; k++) {
            assertThat(base.bucketAuc().get("item")[k])
                    .isCloseTo(arm.bucketAuc().get("item")[k][0], offset(1e-12));
        }
        // the table shows them after the estimators, the report keeps them
        var table = report.tableRows(w);
        assertThat(table.get(table.size() - 1).subList(0, 2))
                .containsExactly("like base", "oracle");
        assertThat(table.get(table.size() - 1)).hasSameSizeAs(table.get(0));
        report.writeReport(dir.resolve("r"));
        assertThat(Files.readString(dir.resolve("r/report.json")))
                .contains("\"oracles\"")
                .contains("\"shifted truth\"");
        assertThat(report.text()).contains("Oracle rows").contains("the truth plus 0.01.");
        // an oracle of the wrong length is refused with its name
        StudyWorld wrong = withOracles(new OracleScores("short", "too few rows.", new float[3]));
        assertThatThrownBy(() -> Study.of(fakeComparison("base").seeds(1)).world(wrong).run())
                .hasMessageContaining("short");
    }

    @Test
    void thePairedTestOverSeedsPairsTheRunsOfTheSameSeed() {
        StudyReport report = study().run();
        WorldOutcome w = report.worlds().get(0);
        ArmOutcome base = w.arm("base").orElseThrow();
        ArmOutcome esmm = w.arm("esmm").orElseThrow();
        // esmm's AUC minus base's, seed by seed, is what the t-test reads
        double[] differences = new double[3];
        for (int s = 0; s < 3; s++) {
            differences[s] = esmm.auc()[s] - base.auc()[s];
        }
        var expected = PairedTTest.compare(esmm.auc(), base.auc());
        var t = w.pairedOverSeeds("esmm", "base").orElseThrow();
        assertThat(t.pairs()).isEqualTo(3);
        assertThat(t.meanDifference())
                .isCloseTo(
                        java.util.Arrays.stream(differences).average().orElseThrow(),
                        offset(1e-12));
        assertThat(t.pValue()).isCloseTo(expected.pValue(), offset(1e-15));
        // base's seeds worsen with the seed (its predictions drift up by 0.01 per seed), esmm
        // predicts the truth: esmm is above on every seed
        assertThat(t.meanDifference()).isPositive();
        assertThat(w.pairedOverSeeds("base", "esmm").orElseThrow().t())
                .isCloseTo(-t.t(), offset(1e-9));
        assertThat(w.pairedOverSeeds("base", "base")).isEmpty();
        assertThat(report.text()).contains("vs base over seeds");
        assertThat(report.json().toString()).contains("pairedOverSeeds");
    }

    @Test
    void theReportFolderHoldsTablesJsonAndPlots(@TempDir Path dir) throws Exception {
        StudyReport report = study().run();
        Path folder = dir.resolve("study");
        report.writeReport(folder);
        assertThat(folder.resolve("report.json")).exists();
        assertThat(folder.resolve("study.png")).exists();
        assertThat(folder.resolve("buckets-item.png")).exists();
        String md = Files.readString(folder.resolve("report.md"));
        assertThat(md).contains("## tiny").contains("**Theory:** esmm should win");
        assertThat(Files.readString(folder.resolve("report.json")))
                .contains("\"format\": \"causal-cvr-study\"")
                .contains("\"deLong\"")
                .contains("\"referenceAuc\"");
        // a second write replaces our own folder; a foreign folder is refused
        report.writeReport(folder);
        Path foreign = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(foreign.resolve("notes.txt"), "keep");
        assertThatThrownBy(() -> report.writeReport(foreign)).hasMessageContaining("mine");
        assertThat(foreign.resolve("notes.txt")).exists();
    }

    @Test
    void aBaselineThatIsNoEstimatorOfTheStudyIsRefused() {
        assertThatThrownBy(() -> study().against(List.of("base", "naive")).validate())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'naive'");
    }
}
