package org.causalcvr.estimators.extra;

import java.util.Arrays;
import org.causalcvr.api.ops.DoubleOps;
import org.causalcvr.api.ops.Ops;

/**
 * Forward-mode derivatives on {@code double[]} for tests of where gradients flow: a value carries
 * its derivative along one direction (every logit of one tower moved by 1); {@link #detach} zeroes
 * it and {@link #clamp} zeroes it outside the bounds, as autograd does. Values come from {@link
 * DoubleOps}, so they equal what the statistical tests evaluate.
 */
record Dual(double[] v, double[] d) {
    static Dual constant(double[] v) {
        return new Dual(v, new double[v.length]);
    }

    static Dual variable(double[] v) {
        double[] d = new double[v.length];
        Arrays.fill(d, 1.0);
        return new Dual(v, d);
    }

    /** The algebra. */
    static final class DualOps implements Ops<Dual> {
        static final DualOps INSTANCE = new DualOps();
        private static final DoubleOps D = DoubleOps.INSTANCE;

        @Override
        public Dual scalar(double value) {
            return constant(new double[] {value});
        }

        @Override
        public Dual full(Dual like, double value) {
            return constant(D.full(like.v(), value));
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
            double[] d = new double[a.v().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = a.v()[i] >= lo && a.v()[i] <= hi ? a.d()[i] : 0;
            }
            return new Dual(D.clamp(a.v(), lo, hi), d);
        }

        @Override
        public Dual where(Dual condition, Dual ifTrue, Dual ifFalse) {
            return new Dual(
                    D.where(condition.v(), ifTrue.v(), ifFalse.v()),
                    D.where(condition.v(), ifTrue.d(), ifFalse.d()));
        }

        @Override
        public Dual detach(Dual a) {
            return constant(a.v());
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
            return constant(new double[] {target});
        }

        @Override
        public int size(Dual a) {
            return a.v().length;
        }

        @Override
        public double value(Dual scalar) {
            return D.value(scalar.v());
        }
    }
}
