package org.causalcvr.api.ops;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * {@link Ops} on plain {@code double[]}: a scalar is an array of length 1. No autograd, so {@link
 * #detach} is the identity. Stateless and thread-safe; use {@link #INSTANCE}.
 *
 * <p>This is the implementation the statistical tests run objectives through; it follows IEEE 754
 * exactly (so {@code log(0) = -inf}, {@code 0/0 = NaN}), leaving guards to the objectives.
 */
public final class DoubleOps implements Ops<double[]> {
    public static final DoubleOps INSTANCE = new DoubleOps();

    private DoubleOps() {}

    @Override
    public double[] scalar(double value) {
        return new double[] {value};
    }

    @Override
    public double[] full(double[] like, double value) {
        double[] out = new double[like.length];
        java.util.Arrays.fill(out, value);
        return out;
    }

    @Override
    public double[] add(double[] a, double[] b) {
        return zip(a, b, Double::sum);
    }

    @Override
    public double[] sub(double[] a, double[] b) {
        return zip(a, b, (x, y) -> x - y);
    }

    @Override
    public double[] mul(double[] a, double[] b) {
        return zip(a, b, (x, y) -> x * y);
    }

    @Override
    public double[] div(double[] a, double[] b) {
        return zip(a, b, (x, y) -> x / y);
    }

    @Override
    public double[] log(double[] a) {
        return map(a, Math::log);
    }

    @Override
    public double[] exp(double[] a) {
        return map(a, Math::exp);
    }

    @Override
    public double[] sigmoid(double[] a) {
        // Two branches keep exp() from overflowing for large |x|.
        return map(a, x -> x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x)));
    }

    @Override
    public double[] abs(double[] a) {
        return map(a, Math::abs);
    }

    @Override
    public double[] clamp(double[] a, double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp bounds reversed: [" + lo + ", " + hi + "]");
        }
        // NaN stays NaN, so a bad value is never hidden inside the bounds.
        return map(a, x -> Double.isNaN(x) ? x : Math.min(Math.max(x, lo), hi));
    }

    @Override
    public double[] where(double[] condition, double[] ifTrue, double[] ifFalse) {
        int n = length(length(condition.length, ifTrue.length), ifFalse.length);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = at(condition, i) != 0 ? at(ifTrue, i) : at(ifFalse, i);
        }
        return out;
    }

    @Override
    public double[] detach(double[] a) {
        return a;
    }

    @Override
    public double[] sum(double[] a) {
        // Kahan summation: Monte-Carlo tests sum millions of small terms.
        double sum = 0;
        double carry = 0;
        for (double x : a) {
            double y = x - carry;
            double t = sum + y;
            carry = (t - sum) - y;
            sum = t;
        }
        return scalar(sum);
    }

    @Override
    public double[] mean(double[] a) {
        return scalar(a.length == 0 ? Double.NaN : sum(a)[0] / a.length);
    }

    @Override
    public double[] min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : a) {
            if (Double.isNaN(x)) {
                return scalar(Double.NaN);
            }
            m = Math.min(m, x);
        }
        return scalar(a.length == 0 ? Double.NaN : m);
    }

    @Override
    public double[] max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : a) {
            if (Double.isNaN(x)) {
                return scalar(Double.NaN);
            }
            m = Math.max(m, x);
        }
        return scalar(a.length == 0 ? Double.NaN : m);
    }

    @Override
    public int size(double[] a) {
        return a.length;
    }

    @Override
    public double value(double[] scalar) {
        if (scalar.length != 1) {
            throw new IllegalArgumentException(
                    "Expected a scalar, got " + scalar.length + " entries");
        }
        return scalar[0];
    }

    private static double[] map(double[] a, DoubleUnaryOperator f) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = f.applyAsDouble(a[i]);
        }
        return out;
    }

    private static double[] zip(double[] a, double[] b, DoubleBinaryOperator f) {
        int n = length(a.length, b.length);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = f.applyAsDouble(at(a, i), at(b, i));
        }
        return out;
    }

    private static int length(int a, int b) {
        if (a == b || b == 1) {
            return a;
        }
        if (a == 1) {
            return b;
        }
        throw new IllegalArgumentException("Cannot broadcast lengths " + a + " and " + b);
    }

    private static double at(double[] a, int i) {
        return a.length == 1 ? a[0] : a[i];
    }
}
