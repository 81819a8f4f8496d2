package org.causalcvr.backend.djl;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.api.ops.Ops;
import org.causalcvr.backend.djl.step.NDArrayOps;

/**
 * Small estimators for the backend's tests (the real ones live in cvr-estimators): objectives
 * written against {@link Ops}, as every estimator's are.
 */
public final class TestEstimators {
    private TestEstimators() {}

    public static final Propensity NO_PROPENSITY =
            new Propensity() {
                @Override
                public String name() {
                    return "constant";
                }

                @Override
                public Set<String> towers() {
                    return Set.of();
                }

                @Override
                public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
                    return ops.full(input.clicks(), 1.0);
                }
            };

    public static final Imputation NO_IMPUTATION =
            new Imputation() {
                @Override
                public String name() {
                    return "none";
                }

                @Override
                public Set<String> towers() {
                    return Set.of();
                }

                @Override
                public <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T error) {
                    return ops.full(input.clicks(), 0.0);
                }
            };

    /** Mean binary cross-entropy of probabilities {@code p} against labels {@code y}. */
    public static <T> T crossEntropy(Ops<T> ops, T y, T p) {
        T pc = ops.clamp(p, 1e-7, 1 - 1e-7);
        T ll =
                ops.add(
                        ops.mul(y, ops.log(pc)),
                        ops.mul(ops.oneMinus(y), ops.log(ops.oneMinus(pc))));
        return ops.neg(ops.mean(ll));
    }

    /** ESMM's loss: CE(o, pCTR) + CE(o·r, pCTR·pCVR). */
    public static final class EsmmLike implements Objective {
        @Override
        public String name() {
            return "esmm-like";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.CTR, TowerNames.CVR);
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            T pctr = ops.sigmoid(in.outputs().get(TowerNames.CTR));
            T pcvr = ops.sigmoid(in.outputs().get(TowerNames.CVR));
            T ctr = crossEntropy(ops, in.clicks(), pctr);
            T ctcvr = crossEntropy(ops, in.conversions(), ops.mul(pctr, pcvr));
            return new LossTerms<>(ops.add(ctr, ctcvr), Map.of("ctr", ctr, "ctcvr", ctcvr));
        }
    }

    /** CE(o, pCTR) over all rows: the propensity model alone. */
    public static final class CtrOnly implements Objective {
        @Override
        public String name() {
            return "ctr";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.CTR);
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            return LossTerms.single(
                    "ctr",
                    crossEntropy(ops, in.clicks(), ops.sigmoid(in.outputs().get(TowerNames.CTR))));
        }
    }

    /** Σ o·CE(r, pCVR) / max(pCTR, τ) / n, with the CTR tower read detached (it is frozen). */
    public static final class IpwWithFrozenCtr implements Objective {
        @Override
        public String name() {
            return "ipw-frozen";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.CTR, TowerNames.CVR);
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            T p = ops.clamp(ops.detach(ops.sigmoid(in.outputs().get(TowerNames.CTR))), 0.02, 1);
            T pcvr = ops.clamp(ops.sigmoid(in.outputs().get(TowerNames.CVR)), 1e-7, 1 - 1e-7);
            T r = in.conversions();
            T e =
                    ops.neg(
                            ops.add(
                                    ops.mul(r, ops.log(pcvr)),
                                    ops.mul(ops.oneMinus(r), ops.log(ops.oneMinus(pcvr)))));
            T ipw = ops.div(ops.sum(ops.div(ops.mul(in.clicks(), e), p)), ops.scalar(ops.size(r)));
            return LossTerms.single("ipw", ipw);
        }
    }

    /**
     * A doubly-robust stand-in with three towers (CTR, CVR, imputation), as the reference
     * implementation in shared/bench computes it: CE(o, p̂) + mean[ê + o(e−ê)/p̂] + Σ
     * o(e⁻−ê)²/p̂/n, ê = softplus(imputation logit), p̂ = max(detached pCTR, 0.02).
     */
    public static final class DrLike implements Objective {
        @Override
        public String name() {
            return "dr-like";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION);
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            T o = in.clicks();
            T r = in.conversions();
            T pctr = ops.sigmoid(in.outputs().get(TowerNames.CTR));
            T ctr = crossEntropy(ops, o, pctr);
            T p = ops.clamp(ops.detach(pctr), 0.02, 1);
            T pcvr = ops.clamp(ops.sigmoid(in.outputs().get(TowerNames.CVR)), 1e-7, 1 - 1e-7);
            T e =
                    ops.neg(
                            ops.add(
                                    ops.mul(r, ops.log(pcvr)),
                                    ops.mul(ops.oneMinus(r), ops.log(ops.oneMinus(pcvr)))));
            // softplus(x) = log(1 + e^x), written with the operations Ops has.
            T eHat =
                    ops.log(
                            ops.addScalar(
                                    ops.exp(
                                            ops.clamp(
                                                    in.outputs().get(TowerNames.IMPUTATION),
                                                    -30,
                                                    30)),
                                    1));
            T dr = ops.mean(ops.add(eHat, ops.div(ops.mul(o, ops.sub(e, eHat)), p)));
            T n = ops.scalar(ops.size(o));
            T imp =
                    ops.div(
                            ops.sum(
                                    ops.div(
                                            ops.mul(o, ops.square(ops.sub(ops.detach(e), eHat))),
                                            p)),
                            n);
            T total = ops.add(ops.add(ctr, dr), imp);
            return new LossTerms<>(total, Map.of("ctr", ctr, "dr", dr, "imputation", imp));
        }
    }

    /**
     * Wraps an objective and makes its term {@code term} NaN from the {@code badCall}-th call on.
     */
    public static final class NanAt implements Objective {
        private final Objective inner;
        private final int badCall;
        private int calls;

        NanAt(Objective inner, int badCall) {
            this.inner = inner;
            this.badCall = badCall;
        }

        @Override
        public String name() {
            return "nan-at-" + badCall;
        }

        @Override
        public Set<String> towers() {
            return inner.towers();
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            LossTerms<T> l = inner.loss(ops, in);
            // Counts training steps only (NDArrays), not evaluations on plain doubles.
            if (!(ops instanceof NDArrayOps) || ++calls < badCall) {
                return l;
            }
            T nan = ops.mul(l.terms().get("ctcvr"), ops.scalar(Double.NaN));
            return new LossTerms<>(
                    ops.add(l.terms().get("ctr"), nan),
                    Map.of("ctr", l.terms().get("ctr"), "ctcvr", nan));
        }
    }

    public static Estimator joint(
            String name, Objective objective, List<TowerSpec> towers, OptionalDouble lambda) {
        Set<String> names = new java.util.LinkedHashSet<>();
        towers.forEach(t -> names.add(t.name()));
        return new ComposedEstimator(
                name,
                ConfigSchema.empty("estimator " + name).defaults(),
                List.copyOf(towers),
                NO_PROPENSITY,
                NO_IMPUTATION,
                TrainingSchedule.joint(objective, names),
                lambda);
    }

    public static Estimator esmmLike() {
        return joint(
                "esmm-like",
                new EsmmLike(),
                List.of(TowerSpec.shared(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR)),
                OptionalDouble.empty());
    }

    public static Estimator drLike(OptionalDouble lambda) {
        return joint(
                "dr-like",
                new DrLike(),
                List.of(
                        TowerSpec.shared(TowerNames.CTR),
                        TowerSpec.shared(TowerNames.CVR),
                        TowerSpec.shared(TowerNames.IMPUTATION)),
                lambda);
    }

    /**
     * A propensity tower with its own embeddings, trained first, then frozen (Naive IPW's shape).
     */
    public static Estimator twoStage(boolean secondStage) {
        var ctrStep = new TrainingStep("propensity", new CtrOnly(), Set.of(TowerNames.CTR));
        var cvrStep =
                new TrainingStep("prediction", new IpwWithFrozenCtr(), Set.of(TowerNames.CVR));
        List<org.causalcvr.api.estimator.Tower> towers =
                List.of(TowerSpec.separate(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR));
        TrainingSchedule schedule =
                secondStage
                        ? TrainingSchedule.twoStage(ctrStep, cvrStep)
                        : new TrainingSchedule(
                                org.causalcvr.api.estimator.ScheduleKind.TWO_STAGE,
                                List.of(
                                        new org.causalcvr.api.estimator.TrainingStage(
                                                "propensity", List.of(ctrStep))));
        return new ComposedEstimator(
                "two-stage-like",
                ConfigSchema.empty("estimator two-stage-like").defaults(),
                towers,
                NO_PROPENSITY,
                NO_IMPUTATION,
                schedule,
                OptionalDouble.empty());
    }

    /**
     * Multi-DR's shape with declared row use: CE(o, p̂) + mean[detach(ê) + o(e−detach(ê))/p̂] + Σ
     * o(detach(e)−ê)²/p̂/n. The CVR tower enters only through o·e ({@link
     * TowerRowUse#CLICKED_ROWS_ONLY}); ê is read on every row but detached outside the imputation
     * loss, which vanishes where o = 0 ({@link TowerRowUse#GRADIENT_ON_CLICKED_ROWS_ONLY}).
     */
    public static final class MultiDrLike implements Objective {
        @Override
        public String name() {
            return "multi-dr-like";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION);
        }

        @Override
        public TowerRowUse rowUse(String tower) {
            return switch (tower) {
                case TowerNames.CVR -> TowerRowUse.CLICKED_ROWS_ONLY;
                case TowerNames.IMPUTATION -> TowerRowUse.GRADIENT_ON_CLICKED_ROWS_ONLY;
                default -> TowerRowUse.ALL_ROWS;
            };
        }

        @Override
        public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
            T o = in.clicks();
            T r = in.conversions();
            T pctr = ops.sigmoid(in.outputs().get(TowerNames.CTR));
            T ctr = crossEntropy(ops, o, pctr);
            T p = ops.clamp(ops.detach(pctr), 0.02, 1);
            T pcvr = ops.clamp(ops.sigmoid(in.outputs().get(TowerNames.CVR)), 1e-7, 1 - 1e-7);
            T e =
                    ops.neg(
                            ops.add(
                                    ops.mul(r, ops.log(pcvr)),
                                    ops.mul(ops.oneMinus(r), ops.log(ops.oneMinus(pcvr)))));
            T eHat = ops.sigmoid(in.outputs().get(TowerNames.IMPUTATION));
            T fixedHat = ops.detach(eHat);
            T dr = ops.mean(ops.add(fixedHat, ops.div(ops.mul(o, ops.sub(e, fixedHat)), p)));
            T n = ops.scalar(ops.size(o));
            T imp =
                    ops.div(
                            ops.sum(
                                    ops.div(
                                            ops.mul(o, ops.square(ops.sub(ops.detach(e), eHat))),
                                            p)),
                            n);
            T total = ops.add(ops.add(ctr, dr), imp);
            return new LossTerms<>(total, Map.of("ctr", ctr, "dr", dr, "imputation", imp));
        }
    }

    public static Estimator multiDrLike() {
        return joint(
                "multi-dr-like",
                new MultiDrLike(),
                List.of(
                        TowerSpec.shared(TowerNames.CTR),
                        TowerSpec.shared(TowerNames.CVR),
                        TowerSpec.shared(TowerNames.IMPUTATION)),
                OptionalDouble.empty());
    }
}
