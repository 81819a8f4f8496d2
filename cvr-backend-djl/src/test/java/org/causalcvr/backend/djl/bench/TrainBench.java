package org.causalcvr.backend.djl.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.InMemoryExposureSource;
import org.causalcvr.api.data.MultiValuedArrays;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.backend.djl.DjlTrainedModel;

/**
 * Training throughput of an estimator (default Multi-DR) on ali-ccp-like synthetic data: 20
 * single-valued fields with the cardinalities of the PyTorch reference in shared/bench (3,780,143
 * rows in all, or scaled to {@code --table-rows}), Zipf-like ids, CTR about 4 %.
 *
 * <pre>
 * mvn -q -o test-compile exec:java -pl cvr-backend-djl -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.causalcvr.backend.djl.bench.TrainBench \
 *     -Dexec.args="--table-rows 100000,10000000 --match-reference"
 * </pre>
 *
 * Options: {@code --estimator multi-dr}, {@code --preset paper-ali-ccp}, {@code --batch 1024},
 * {@code --steps 300} (timed), {@code --warmup 30}, {@code --threads 2}, {@code --table-rows
 * N[,N...]} (0: the reference's 3,780,143), {@code --match-reference} (no under-sampling, IPW bound
 * 0.02, as the reference trains), {@code --set key=value} (more backend settings).
 */
public final class TrainBench {
    /** The reference's fields: name and cardinality. */
    private static final Object[][] FIELDS = {
        {"user_id_101", 400_000},
        {"item_id_205", 1_000_000},
        {"shop_207", 300_000},
        {"intention_210", 100_000},
        {"brand_216", 200_000},
        {"user_category_508", 1_000_000},
        {"user_shop_509", 500_000},
        {"user_brand_702", 200_000},
        {"category_206", 10_000},
        {"user_intention_853", 50_000},
        {"user_intent_hist_150_14", 20_000},
        {"cms_segid_121", 98},
        {"cms_group_122", 14},
        {"gender_124", 3},
        {"age_125", 8},
        {"pvalue_126", 4},
        {"shopping_level_127", 4},
        {"occupation_128", 3},
        {"city_level_129", 5},
        {"scenario_301", 4}
    };

    private TrainBench() {}

    public static void main(String[] args) {
        var opts = new HashMap<String, String>();
        var extra = new HashMap<String, String>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--match-reference")) {
                opts.put("match-reference", "true");
            } else if (a.equals("--set")) {
                String[] kv = args[++i].split("=", 2);
                extra.put(kv[0], kv[1]);
            } else if (a.startsWith("--")) {
                opts.put(a.substring(2), args[++i]);
            }
        }
        String estimatorName = opts.getOrDefault("estimator", "multi-dr");
        String preset = opts.getOrDefault("preset", "paper-ali-ccp");
        int batch = Integer.parseInt(opts.getOrDefault("batch", "1024"));
        int steps = Integer.parseInt(opts.getOrDefault("steps", "300"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "30"));
        String threads = opts.getOrDefault("threads", "2");
        boolean matchReference = opts.containsKey("match-reference");
        var runtime = CvrRuntime.load();
        Map<String, String> estimatorSettings =
                matchReference
                        ? Map.of("undersample-rate", "Infinity", "ipw-bound", "0.02")
                        : Map.of();
        if (matchReference && !estimatorName.equals("multi-dr")) {
            estimatorSettings = Map.of("ipw-bound", "0.02");
        }
        if (estimatorName.equals("esmm")) {
            estimatorSettings = Map.of();
        }
        Estimator estimator = runtime.estimator(estimatorName).create(estimatorSettings);
        for (String tableRows : opts.getOrDefault("table-rows", "0").split(",")) {
            long total = (long) Double.parseDouble(tableRows);
            int rows = (warmup + steps) * batch;
            InMemoryExposureSource data = aliCcpLike(rows, total, 17);
            var settings = new HashMap<String, String>();
            settings.put("preset", preset);
            settings.put("batch-size", Integer.toString(batch));
            settings.put("threads", threads);
            settings.put("epochs", "1");
            settings.put("progress-every", "1");
            settings.put("shuffle-rows", "0");
            settings.putAll(extra);
            var times = new ArrayList<long[]>();
            TrainingListener listener =
                    new TrainingListener() {
                        @Override
                        public void onProgress(TrainingProgress p) {
                            times.add(new long[] {System.nanoTime(), p.samples()});
                        }
                    };
            try (var backend = runtime.backend("djl").create(settings);
                    var model =
                            (DjlTrainedModel)
                                    backend.train(
                                            new TrainingRequest(
                                                    estimator,
                                                    data,
                                                    Optional.empty(),
                                                    Optional.empty(),
                                                    Optional.empty(),
                                                    listener))) {
                long[] start = times.get(warmup - 1);
                long[] end = times.get(times.size() - 1);
                int timed = times.size() - warmup;
                double secs = (end[0] - start[0]) / 1e9;
                var stats = model.trainingStats();
                System.out.println(
                        String.format(
                                Locale.ROOT,
                                "{\"estimator\":\"%s\",\"preset\":\"%s\",\"match_reference\":%s,"
                                        + "\"table_rows\":%d,\"batch\":%d,\"threads\":%s,"
                                        + "\"timed_steps\":%d,\"samples_per_s\":%.0f,"
                                        + "\"ms_per_step\":%.2f,\"rows_trained_share\":%.3f,"
                                        + "\"batch_wait_share\":%.4f,\"touched_rows\":%s,"
                                        + "\"device\":\"%s\"}",
                                estimatorName,
                                preset,
                                matchReference,
                                totalRows(data.schema()),
                                batch,
                                threads,
                                timed,
                                (end[1] - start[1]) / secs,
                                1000 * secs / timed,
                                (double) stats.rowsTrained() / stats.rowsRead(),
                                stats.waitShare(),
                                model.touchedRows(),
                                backend.device()));
            }
        }
    }

    private static long totalRows(FeatureSchema schema) {
        return schema.totalCardinality();
    }

    /**
     * Rows of 20 single-valued fields; large fields scaled so the table has about {@code total}
     * rows.
     */
    static InMemoryExposureSource aliCcpLike(int rows, long total, long seed) {
        long reference = 0;
        for (Object[] f : FIELDS) {
            reference += (Integer) f[1];
        }
        double scale = total > 0 ? (double) total / reference : 1;
        var fields = new ArrayList<FeatureField>();
        for (Object[] f : FIELDS) {
            int card = (Integer) f[1];
            long scaled = card >= 10_000 ? Math.max(100, Math.round(card * scale)) : card;
            fields.add(new FeatureField((String) f[0], FieldRole.CONTEXT, scaled, false));
        }
        var schema = new FeatureSchema(fields, false, false);
        var rng = new SplittableRandom(seed);
        int nf = fields.size();
        int[][] ids = new int[nf][rows];
        int[] clicks = new int[rows];
        int[] convs = new int[rows];
        for (int r = 0; r < rows; r++) {
            double clickLogit = -3.4;
            double convLogit = -4.8;
            for (int f = 0; f < nf; f++) {
                int card = (int) fields.get(f).cardinality();
                // Zipf-like popularity, hot ids scattered over the id space.
                int rank =
                        (int) Math.min(card - 1, Math.floor(card * Math.pow(rng.nextDouble(), 4)));
                int id = (int) Long.remainderUnsigned(mix(rank, f), card);
                ids[f][r] = id;
                if (f < 3) {
                    clickLogit += 0.4 * effect(id, f);
                    convLogit += 0.4 * effect(id, f + 100);
                }
            }
            double eps = rng.nextGaussian();
            double pc = 1 / (1 + Math.exp(-(clickLogit + 0.6 * eps)));
            double pv = 1 / (1 + Math.exp(-(convLogit + 0.6 * eps)));
            clicks[r] = rng.nextDouble() < pc ? 1 : 0;
            convs[r] = clicks[r] == 1 && rng.nextDouble() < pv ? 1 : 0;
        }
        var data =
                new ArrayExposureBatch(
                        schema, clicks, convs, ids, new MultiValuedArrays[nf], null, null, null);
        return new InMemoryExposureSource(data, 65_536, "ali-ccp-like-" + rows);
    }

    private static double effect(int id, int salt) {
        long h = mix(id, salt);
        return ((h >>> 11) * 0x1.0p-53) * 2 - 1;
    }

    private static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
