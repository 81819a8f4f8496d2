package org.causalcvr.testkit;

import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.api.ops.Ops;

/**
 * Forward-mode automatic differentiation on {@code double[]}, for tests of where gradients flow: a
 * value carries its derivative along one direction (the logits of one tower, all ones), {@link
 * #detach} zeroes it, {@link #clamp} zeroes it outside the bounds. Values are computed by {@link
 * DoubleOps}. Part of the test kit, for plugin authors' gradient tests.
 */
public final class DualOps implements Ops<DualOps.Dual> {
    public static final DualOps INSTANCE = new DualOps();
    private static final DoubleOps D = DoubleOps.INSTANCE;

    /** A value and its directional derivative, entry by entry. */
    public record Dual(double[] v, double[] d) {
        public static Dual constant(double[] v) {
            return new Dual(v, new double[v.length]);
        }

        public static Dual variable(double[] v) {
            double[] d = new double[v.length];
            java.util.Arrays.fill(d, 1.0);
            return new Dual(v, d);
        }
    }

    @Override
    public Dual scalar(double value) {
        return Dual.constant(new double[] {value});
    }

    @Override
    public Dual full(Dual like, double value) {
        return Dual.constant(D.full(like.v(), value));
    }

    @Override
    public Dual add(Dual a, Dual b) {
        return new Dual(D.add(a.v(), b.v()), D.add(a.d(), b.d()));
    }

    @Override
    public Dual sub(Dual a, Dual b) {
        return new Dual(D.sub(a.v(), b.v()), D.sub(a.d(), b.d()));
    }

    @Override
    public Dual mul(Dual a, Dual b) {
        return new Dual(D.mul(a.v(), b.v()), D.add(D.mul(a.d(), b.v()), D.mul(a.v(), b.d())));
    }

    @Override
    public Dual div(Dual a, Dual b) {
        double[] numerator = D.sub(D.mul(a.d(), b.v()), D.mul(a.v(), b.d()));
        return new Dual(D.div(a.v(), b.v()), D.div(numerator, D.mul(b.v(), b.v())));
    }

    @Override
    public Dual log(Dual a) {
        return new Dual(D.log(a.v()), D.div(a.d(), a.v()));
    }

    @Override
    public Dual exp(Dual a) {
        double[] e = D.exp(a.v());
        return new Dual(e, D.mul(e, a.d()));
    }

    @Override
    public Dual sigmoid(Dual a) {
        double[] s = D.sigmoid(a.v());
        return new Dual(s, D.mul(D.mul(s, D.sub(D.scalar(1), s)), a.d()));
    }

    @Override
    public Dual abs(Dual a) {
        double[] sign = new double[a.v().length];
        for (int i = 0; i < sign.length; i++) {
            sign[i] = Math.signum(a.v()[i]);
        }
        return new Dual(D.abs(a.v()), D.mul(sign, a.d()));
    }

    @Override
    public Dual clamp(Dual a, double lo, double hi) {
        double[] v = D.clamp(a.v(), lo, hi);
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = a.v()[i] >= lo && a.v()[i] <= hi ? a.d()[i] : 0;
        }
        return new Dual(v, d);
    }

    @Override
    public Dual where(Dual condition, Dual ifTrue, Dual ifFalse) {
        return new Dual(
                D.where(condition.v(), ifTrue.v(), ifFalse.v()),
                D.where(condition.v(), ifTrue.d(), ifFalse.d()));
    }

    @Override
    public Dual detach(Dual a) {
        return Dual.constant(a.v());
    }

    @Override
    public Dual sum(Dual a) {
        return new Dual(D.sum(a.v()), D.sum(a.d()));
    }

    @Override
    public Dual mean(Dual a) {
        return new Dual(D.mean(a.v()), D.mean(a.d()));
    }

    @Override
    public Dual min(Dual a) {
        return pick(a, D.value(D.min(a.v())));
    }

    @Override
    public Dual max(Dual a) {
        return pick(a, D.value(D.max(a.v())));
    }

    private static Dual pick(Dual a, double target) {
        for (int i = 0; i < a.v().length; i++) {
            if (a.v()[i] == target) {
                return new Dual(new double[] {target}, new double[] {a.d()[i]});
            }
        }
        return Dual.constant(new double[] {target});
    }

    @Override
    public int size(Dual a) {
        return a.v().length;
    }

    @Override
    public double value(Dual scalar) {
        return D.value(scalar.v());
    }

    /** The derivative of a scalar. */
    public double derivative(Dual scalar) {
        return D.value(scalar.d());
    }
}
