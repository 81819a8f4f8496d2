package org.causalcvr.bench.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.MultiValuedArrays;
import org.causalcvr.metrics.EvaluationOptions;
import org.causalcvr.metrics.EvaluationReport;
import org.causalcvr.metrics.Evaluator;

/**
 * Times a full {@link Evaluator} pass (every space, with ground truth and groups) over n synthetic
 * exposures fed in batches of 1M rows, and reports the peak heap.
 *
 * <pre>
 *   java -Xmx8g -cp "cvr-bench/target/cvr-bench.jar:cvr-bench/target/lib/*" org.causalcvr.bench.metrics.EvaluatorBench 10000000
 * </pre>
 */
public final class EvaluatorBench {
    private EvaluatorBench() {}

    public static void main(String[] args) {
        int n = (int) Long.parseLong(args.length > 0 ? args[0].replace("_", "") : "10000000");
        int batchRows = 1_000_000;
        var schema =
                new FeatureSchema(
                        List.of(FeatureField.single("item", FieldRole.ITEM, 1)), true, true);
        var random = new SplittableRandom(7);
        var evaluator = new Evaluator(EvaluationOptions.defaults()).expectRows(n);
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long addNanos = 0;
        for (int from = 0; from < n; from += batchRows) {
            int size = Math.min(batchRows, n - from);
            int[] clicks = new int[size];
            int[] conversions = new int[size];
            float[] p = new float[size];
            float[] q = new float[size];
            long[] groups = new long[size];
            float[] ctr = new float[size];
            float[] cvr = new float[size];
            for (int i = 0; i < size; i++) {
                double interest = random.nextDouble();
                p[i] = (float) (0.02 + 0.2 * interest);
                q[i] = (float) (0.01 + 0.3 * interest * random.nextDouble());
                clicks[i] = random.nextDouble() < p[i] ? 1 : 0;
                conversions[i] = clicks[i] == 1 && random.nextDouble() < q[i] ? 1 : 0;
                groups[i] = random.nextInt(Math.max(1, n / 50));
                ctr[i] = (float) Math.min(1, p[i] * (0.7 + 0.6 * random.nextDouble()));
                cvr[i] = (float) Math.min(1, q[i] * (0.7 + 0.6 * random.nextDouble()));
            }
            var batch =
                    new ArrayExposureBatch(
                            schema,
                            clicks,
                            conversions,
                            new int[][] {new int[size]},
                            new MultiValuedArrays[1],
                            groups,
                            p,
                            q);
            long t = System.nanoTime();
            evaluator.add(batch, new Predictions(ctr, cvr));
            addNanos += System.nanoTime() - t;
        }
        long start = System.nanoTime();
        EvaluationReport report = evaluator.finish();
        double finishSeconds = (System.nanoTime() - start) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.print(report.toTable());
        System.out.printf(
                Locale.ROOT,
                "evaluator: n=%,d  add %.2f s  finish %.2f s  peak heap %.0f MiB"
                        + " (includes one 1M-row batch being generated)%n",
                n,
                addNanos / 1e9,
                finishSeconds,
                peak / 1048576.0);
    }
}
