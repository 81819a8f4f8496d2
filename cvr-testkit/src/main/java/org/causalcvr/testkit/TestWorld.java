package org.causalcvr.testkit;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.causalcvr.api.estimator.ObjectiveInput;

/**
 * A small world for statistical tests: n user-item pairs with true click propensities p, true
 * conversion labels r (the labels of the paper's "do dataset", known for every pair), and fixed CVR
 * predictions r̂, so the prediction inaccuracy P = (1/n) Σ CE(r, r̂) of eq. 1 is known exactly.
 * Each replicate draws the clicks o ~ Bernoulli(p); the conversions observed are o·r.
 *
 * <p>Immutable; randomness comes only from the {@link SplittableRandom} a caller passes in.
 */
public final class TestWorld {
    private final double[] propensity;
    private final double[] conversion;
    private final double[] prediction;

    private TestWorld(double[] propensity, double[] conversion, double[] prediction) {
        int n = propensity.length;
        if (conversion.length != n || prediction.length != n || n == 0) {
            throw new IllegalArgumentException("a world needs n > 0 rows of p, r and r̂ alike");
        }
        for (int i = 0; i < n; i++) {
            if (!(propensity[i] > 0 && propensity[i] <= 1)) {
                throw new IllegalArgumentException("p[" + i + "] = " + propensity[i]);
            }
            if (conversion[i] != 0 && conversion[i] != 1) {
                throw new IllegalArgumentException("r[" + i + "] = " + conversion[i]);
            }
            if (!(prediction[i] > 0 && prediction[i] < 1)) {
                throw new IllegalArgumentException("r̂[" + i + "] = " + prediction[i]);
            }
        }
        this.propensity = propensity.clone();
        this.conversion = conversion.clone();
        this.prediction = prediction.clone();
    }

    /** A world with the given truth and predictions. */
    public static TestWorld of(double[] propensity, double[] conversion, double[] prediction) {
        return new TestWorld(propensity, conversion, prediction);
    }

    /**
     * A confounded world: a latent interest u ~ U(0, 1) raises both the click propensity, p = 0.05
     * + 0.85·u, and the conversion probability, P(r=1) = 0.05 + 0.6·u; the CVR predictions r̂ ~
     * U(0.1, 0.6) ignore u. So clicks correlate with conversions (and with the error e), which
     * biases every estimator that does not correct for the click process.
     */
    public static TestWorld confounded(SplittableRandom random, int n) {
        double[] p = new double[n];
        double[] r = new double[n];
        double[] rHat = new double[n];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            p[i] = 0.05 + 0.85 * u;
            r[i] = random.nextDouble() < 0.05 + 0.6 * u ? 1 : 0;
            rHat[i] = 0.1 + 0.5 * random.nextDouble();
        }
        return new TestWorld(p, r, rHat);
    }

    /**
     * A world missing completely at random: every p equals {@code clickRate}, so the click set is a
     * uniform sample of the pairs.
     */
    public static TestWorld missingCompletelyAtRandom(
            SplittableRandom random, int n, double clickRate) {
        TestWorld w = confounded(random, n);
        double[] p = new double[n];
        Arrays.fill(p, clickRate);
        return new TestWorld(p, w.conversion, w.prediction);
    }

    /** This world's pairs, {@code times} times over (same P, n·times pairs). */
    public TestWorld repeat(int times) {
        int n = size();
        double[] p = new double[n * times];
        double[] r = new double[n * times];
        double[] rHat = new double[n * times];
        for (int k = 0; k < times; k++) {
            System.arraycopy(propensity, 0, p, k * n, n);
            System.arraycopy(conversion, 0, r, k * n, n);
            System.arraycopy(prediction, 0, rHat, k * n, n);
        }
        return new TestWorld(p, r, rHat);
    }

    public int size() {
        return propensity.length;
    }

    /** The true propensities p. */
    public double[] propensity() {
        return propensity.clone();
    }

    /** The true conversion labels r of every pair (clicked or not). */
    public double[] conversion() {
        return conversion.clone();
    }

    /** The fixed CVR predictions r̂. */
    public double[] prediction() {
        return prediction.clone();
    }

    /** e = CE(r, r̂) of every pair, computed directly (not through the objective code). */
    public double[] errors() {
        double[] e = new double[size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = conversion[i] == 1 ? -Math.log(prediction[i]) : -Math.log1p(-prediction[i]);
        }
        return e;
    }

    /** P = (1/n) Σ e (eq. 1), the quantity an unbiased estimator estimates. */
    public double trueInaccuracy() {
        return Arrays.stream(errors()).average().orElseThrow();
    }

    /** The mean of p. */
    public double meanPropensity() {
        return Arrays.stream(propensity).average().orElseThrow();
    }

    /** One draw of the clicks, o_i ~ Bernoulli(p_i). */
    public double[] sampleClicks(SplittableRandom random) {
        double[] o = new double[size()];
        for (int i = 0; i < o.length; i++) {
            o[i] = random.nextDouble() < propensity[i] ? 1 : 0;
        }
        return o;
    }

    /**
     * The batch an objective sees for one draw of clicks: conversions o·r, the given tower logits,
     * and the true propensity p (for oracle propensities).
     */
    public ObjectiveInput<double[]> observe(double[] clicks, Map<String, double[]> logits) {
        double[] observed = new double[size()];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = clicks[i] * conversion[i];
        }
        return ObjectiveValues.inputFromLogits(
                clicks, observed, new LinkedHashMap<>(logits), propensity.clone());
    }

    /**
     * {@code replicates} independent draws of the clicks, each mapped to a number by {@code
     * estimate} (typically an objective's estimate of P).
     */
    public double[] replicate(
            int replicates, long seed, ToDoubleFunction<ObjectiveInputFactory> estimate) {
        var random = new SplittableRandom(seed);
        double[] out = new double[replicates];
        for (int k = 0; k < replicates; k++) {
            double[] clicks = sampleClicks(random);
            out[k] = estimate.applyAsDouble(logits -> observe(clicks, logits));
        }
        return out;
    }

    /** One draw's batch, given the logits of the towers. */
    @FunctionalInterface
    public interface ObjectiveInputFactory {
        ObjectiveInput<double[]> withLogits(Map<String, double[]> logits);
    }

    @Override
    public String toString() {
        return "TestWorld[n=" + size() + ", P=" + trueInaccuracy() + "]";
    }
}
