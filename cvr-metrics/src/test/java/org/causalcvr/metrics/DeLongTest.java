package org.causalcvr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class DeLongTest {
    // Rows alternate positive, negative. Positives X = {.9, .7, .4}, negatives Y = {.8, .4, .2}.
    private static final int[] LABELS = {1, 0, 1, 0, 1, 0};
    private static final float[] A = {0.9f, 0.8f, 0.7f, 0.4f, 0.4f, 0.2f};
    // Model B: X = {.6, .8, .3}, Y = {.5, .7, .1}.
    private static final float[] B = {0.6f, 0.5f, 0.8f, 0.7f, 0.3f, 0.1f};

    /*
     * Worked by hand from DeLong et al. (1988), in eighteenths:
     * A: V10 = (18, 12, 9)/18, V01 = (6, 15, 18)/18, AUC = 13/18.
     *    S10 = (5² + 1² + 4²)/324 / 2 = 21/324, S01 = (7² + 2² + 5²)/324 / 2 = 39/324.
     * B: V10 = (12, 18, 6)/18, V01 = (12, 6, 18)/18, AUC = 12/18.
     *    S10 = (0 + 6² + 6²)/324 / 2 = 36/324, S01 = 36/324.
     * Cross: S10 = (5·0 − 1·6 + 4·6)/324 / 2 = 9/324, S01 = (0 − 2·6 + 5·6)/324 / 2 = 9/324.
     * Var = S10/3 + S01/3: A 60/972, B 72/972, Cov 18/972.
     */
    @Test
    void structuralComponentsWorkedByHand() {
        DeLongResult r = DeLong.compare(A, B, LABELS);
        assertThat(r.aucA()).isCloseTo(13.0 / 18, within(1e-12));
        assertThat(r.aucB()).isCloseTo(12.0 / 18, within(1e-12));
        assertThat(r.varianceA()).isCloseTo(60.0 / 972, within(1e-12));
        assertThat(r.varianceB()).isCloseTo(72.0 / 972, within(1e-12));
        assertThat(r.covariance()).isCloseTo(18.0 / 972, within(1e-12));
        double z = (1.0 / 18) / Math.sqrt(96.0 / 972);
        assertThat(r.z()).isCloseTo(z, within(1e-12));
        double p = 2 * (1 - new NormalDistribution().cumulativeProbability(z));
        assertThat(r.pValue()).isCloseTo(p, within(1e-9));
        assertThat(DeLong.variance(A, LABELS)).isCloseTo(60.0 / 972, within(1e-12));
    }

    @Property(tries = 50, seed = "31")
    void componentsMatchTheDefinitionOverAllPairs(
            @ForAll long seed,
            @ForAll @IntRange(min = 4, max = 80) int n,
            @ForAll @IntRange(min = 1, max = 6) int distinct) {
        var random = new SplittableRandom(seed);
        float[] a = new float[n];
        float[] b = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < 2 ? 1 : i < 4 ? 0 : random.nextInt(2);
            a[i] = random.nextInt(distinct) + y[i] * 0.5f;
            b[i] = random.nextInt(distinct);
        }
        int m = 0;
        for (int v : y) {
            m += v;
        }
        int k = n - m;
        double[][] v10 = new double[2][n];
        double[][] v01 = new double[2][n];
        float[][] s = {a, b};
        double[] auc = new double[2];
        for (int model = 0; model < 2; model++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i] == 1 && y[j] == 0) {
                        double psi =
                                s[model][i] > s[model][j]
                                        ? 1
                                        : s[model][i] == s[model][j] ? 0.5 : 0;
                        v10[model][i] += psi / k;
                        v01[model][j] += psi / m;
                        auc[model] += psi / ((double) m * k);
                    }
                }
            }
        }
        double[][] cov = new double[2][2];
        for (int p = 0; p < 2; p++) {
            for (int q = 0; q < 2; q++) {
                double s10 = 0;
                double s01 = 0;
                for (int i = 0; i < n; i++) {
                    if (y[i] == 1) {
                        s10 += (v10[p][i] - auc[p]) * (v10[q][i] - auc[q]);
                    } else {
                        s01 += (v01[p][i] - auc[p]) * (v01[q][i] - auc[q]);
                    }
                }
                cov[p][q] = s10 / (m - 1) / m + s01 / (k - 1) / k;
            }
        }
        DeLongResult r = DeLong.compare(a, b, y);
        assertThat(r.aucA()).isCloseTo(auc[0], within(1e-12));
        assertThat(r.varianceA()).isCloseTo(cov[0][0], within(1e-12));
        assertThat(r.varianceB()).isCloseTo(cov[1][1], within(1e-12));
        assertThat(r.covariance()).isCloseTo(cov[0][1], within(1e-12));
    }

    @Test
    void identicalModelsHaveNoDifference() {
        DeLongResult r = DeLong.compare(A, A, LABELS);
        assertThat(r.z()).isZero();
        assertThat(r.pValue()).isEqualTo(1.0);
    }

    @Test
    void aClearlyBetterModelIsSignificant() {
        var random = new SplittableRandom(1);
        int n = 4000;
        float[] good = new float[n];
        float[] weak = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(2);
            double signal = y[i] + random.nextGaussian();
            good[i] = (float) (signal + 0.3 * random.nextGaussian());
            weak[i] = (float) (signal + 2.0 * random.nextGaussian());
        }
        DeLongResult r = DeLong.compare(good, weak, y);
        assertThat(r.difference()).isPositive();
        assertThat(r.pValue()).isLessThan(1e-6);
        ConfidenceInterval ci = DeLong.interval(good, y, 0.95);
        assertThat(ci.contains(r.aucA())).isTrue();
        assertThat(ci.upper() - ci.lower()).isLessThan(0.05);
    }

    @Test
    void needsTwoOfEachClass() {
        assertThatThrownBy(
                        () ->
                                DeLong.compare(
                                        new float[] {1, 2, 3},
                                        new float[] {1, 2, 3},
                                        new int[] {1, 0, 0}))
                .isInstanceOf(UndefinedMetricException.class)
                .hasMessageContaining("two positive");
    }
}
