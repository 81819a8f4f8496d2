import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.data.arrow.synth.OracleCvr;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.data.arrow.synth.WorldConfig;
import org.causalcvr.metrics.Auc;

/**
 * A diagnostic of the study (docs/study/NOTES.md): how much of each model's logit pCVR is the
 * features' part of the true CVR, logit E[q | x], and how much is the selection boost that the
 * clicks add, logit E[q | x, o=1] - logit E[q | x]. The common limit has 1 and 1; a model that
 * ranked like the ceiling E[q | x] would have 0 on the boost.
 *
 * <p>Run with the tool's class path (single-file source launch, JDK 17):
 *
 * <pre>
 *   java -cp "cvr-examples/target/cvr-examples.jar:cvr-examples/target/lib/*" \
 *       docs/study/diagnostics/BoostShare.java VISIBILITY FIRST_ROW ROWS LABEL=PREDICTIONS.csv...
 * </pre>
 *
 * for the study's default world (preset small, seed 2020, γ 1.5, κ 1, CTR 5%, CVR 10%) at the
 * given visibility; the CSV files are {@code cvr predict} outputs on rows [FIRST_ROW, FIRST_ROW +
 * ROWS) of that world (the study's test rows start after its training rows).
 */
public class BoostShare {
    public static void main(String[] args) throws Exception {
        double visibility = Double.parseDouble(args[0]);
        long first = Long.parseLong(args[1]);
        int rows = Integer.parseInt(args[2]);
        WorldConfig config =
                Presets.get("small")
                        .withSeed(2020)
                        .withConfounderVisibility(visibility)
                        .withPopularitySkew(1.0)
                        .withConfounding(1.5)
                        .withRates(0.05, 0.1);
        SyntheticWorld world = SyntheticWorld.build(config);
        OracleCvr oracle = world.oracleCvr(first, rows);
        float[] q = trueCvr(world, first, rows);
        double[] features = new double[rows];
        double[] boost = new double[rows];
        for (int r = 0; r < rows; r++) {
            features[r] = logit(oracle.givenFeatures()[r]);
            boost[r] = logit(oracle.givenFeaturesAndClick()[r]) - features[r];
        }
        System.out.printf(
                "visibility %s, rows [%d, %d): AUC vs true CVR of E[q|x] %.4f, of E[q|x,o=1] %.4f;"
                        + " sd of logit E[q|x] %.3f, of the boost %.3f, their correlation %.3f%n",
                args[0],
                first,
                first + rows,
                Auc.soft(oracle.givenFeatures(), q),
                Auc.soft(oracle.givenFeaturesAndClick(), q),
                sd(features),
                sd(boost),
                correlation(features, boost));
        for (int i = 3; i < args.length; i++) {
            String label = args[i].substring(0, args[i].indexOf('='));
            float[] p = pcvr(Path.of(args[i].substring(args[i].indexOf('=') + 1)), rows);
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                y[r] = logit(Math.min(Math.max(p[r], 1e-7), 1 - 1e-7));
            }
            double[] beta = leastSquares(features, boost, y);
            double ss = 0;
            double mean = 0;
            for (double v : y) {
                mean += v / rows;
            }
            double tot = 0;
            for (int r = 0; r < rows; r++) {
                double e = y[r] - beta[0] - beta[1] * features[r] - beta[2] * boost[r];
                ss += e * e;
                tot += (y[r] - mean) * (y[r] - mean);
            }
            System.out.printf(
                    "%-10s AUC vs true CVR %.4f; logit pCVR = %.2f + %.3f·logit E[q|x] + %.3f·boost,"
                            + " R² %.3f%n",
                    label, Auc.soft(p, q), beta[0], beta[1], beta[2], 1 - ss / tot);
        }
    }

    private static float[] trueCvr(SyntheticWorld world, long first, int rows) {
        float[] q = new float[rows];
        long row = 0;
        try (BatchCursor c = world.source(first + rows, 65_536).open()) {
            while (c.next()) {
                ExposureBatch b = c.batch();
                for (int i = 0; i < b.size(); i++, row++) {
                    if (row >= first) {
                        q[(int) (row - first)] = b.trueCvr().orElseThrow().getFloat(i);
                    }
                }
            }
        }
        return q;
    }

    /** The pCVR column of a {@code cvr predict} CSV (row,ctr,cvr,ctcvr). */
    private static float[] pcvr(Path csv, int rows) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        if (lines.size() != rows + 1) {
            throw new IllegalArgumentException(csv + ": " + (lines.size() - 1) + " rows, not " + rows);
        }
        float[] p = new float[rows];
        for (int r = 0; r < rows; r++) {
            p[r] = Float.parseFloat(lines.get(r + 1).split(",")[2]);
        }
        return p;
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double sd(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v / x.length;
        }
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / x.length);
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** Ordinary least squares of y on (1, a, b), by the normal equations. */
    private static double[] leastSquares(double[] a, double[] b, double[] y) {
        double[][] m = new double[3][4];
        for (int i = 0; i < y.length; i++) {
            double[] x = {1, a[i], b[i]};
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    m[j][k] += x[j] * x[k];
                }
                m[j][3] += x[j] * y[i];
            }
        }
        for (int c = 0; c < 3; c++) {
            int pivot = c;
            for (int r = c + 1; r < 3; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            for (int r = 0; r < 3; r++) {
                if (r != c) {
                    double f = m[r][c] / m[c][c];
                    for (int k = c; k < 4; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        return new double[] {m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]};
    }
}
