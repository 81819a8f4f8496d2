package org.causalcvr.examples.escm2;

import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.config.DoubleRange;
import org.causalcvr.api.estimator.ComposedEstimator;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.estimator.Imputation;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.api.ops.Ops;

/**
 * ESCM²-IPW (Wang et al., SIGIR 2022) as a third-party plugin: written against the public SPI of
 * {@code cvr-api} only, registered by {@link Escm2Module} and one services file. Shared embeddings,
 * CTR and CVR towers trained jointly on {@link Escm2IpwObjective}.
 */
public final class Escm2IpwFactory implements EstimatorFactory {
    public static final String NAME = "escm2-ipw";

    static final ConfigKey<Double> CVR_WEIGHT =
            ConfigKey.ofDouble(
                    "cvr-weight",
                    0.5,
                    DoubleRange.atLeast(0),
                    "weight of the IPW CVR loss (public reference: 0.5)");
    static final ConfigKey<Double> CTCVR_WEIGHT =
            ConfigKey.ofDouble(
                    "ctcvr-weight",
                    0.5,
                    DoubleRange.atLeast(0),
                    "weight of the CTCVR loss (public reference: 0.5)");
    static final ConfigKey<Double> IPW_BOUND =
            ConfigKey.ofDouble(
                    "ipw-bound",
                    0.001,
                    new DoubleRange(0, false, 1, true),
                    "floor tau on the propensity before it is inverted");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ESCM2-IPW (Wang et al., SIGIR 2022): CTR + IPW CVR + CTCVR losses over the exposure space (example third-party plugin)";
    }

    @Override
    public ConfigSchema configSchema() {
        return new ConfigSchema("estimator " + NAME, List.of(CVR_WEIGHT, CTCVR_WEIGHT, IPW_BOUND));
    }

    @Override
    public Estimator create(Config config) {
        double floor = config.get(IPW_BOUND);
        var objective =
                new Escm2IpwObjective(config.get(CVR_WEIGHT), config.get(CTCVR_WEIGHT), floor);
        return new ComposedEstimator(
                NAME,
                config,
                List.of(TowerSpec.shared(TowerNames.CTR), TowerSpec.shared(TowerNames.CVR)),
                new CtrPropensity(floor),
                new NoImputation(),
                TrainingSchedule.joint(objective, Set.of(TowerNames.CTR, TowerNames.CVR)),
                OptionalDouble.empty());
    }

    /** p̂ = σ(ctr logit), detached and floored at τ: the weight the objective uses. */
    record CtrPropensity(double floor) implements Propensity {
        @Override
        public String name() {
            return "ctr-tower";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.CTR);
        }

        @Override
        public <T> T propensity(Ops<T> ops, ObjectiveInput<T> input) {
            return ops.clamp(
                    ops.detach(ops.sigmoid(input.outputs().get(TowerNames.CTR))), floor, 1.0);
        }
    }

    /** ê = 0: an IPW estimator imputes nothing. */
    record NoImputation() implements Imputation {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public Set<String> towers() {
            return Set.of();
        }

        @Override
        public <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T predictionError) {
            return ops.full(predictionError, 0.0);
        }
    }
}
