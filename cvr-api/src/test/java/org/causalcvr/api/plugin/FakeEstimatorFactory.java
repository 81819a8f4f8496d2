package org.causalcvr.api.plugin;

import java.util.List;
import java.util.Map;
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
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Propensity;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerSpec;
import org.causalcvr.api.estimator.TrainingSchedule;
import org.causalcvr.api.ops.Ops;

/** A hand-written fake estimator: click-space cross-entropy, for plugin-mechanism tests. */
public class FakeEstimatorFactory implements EstimatorFactory {
    static final ConfigKey<Double> WEIGHT =
            ConfigKey.ofDouble(
                    "positive-weight", 1.0, DoubleRange.atLeast(1), "weight of positives");

    private final String name;

    public FakeEstimatorFactory() {
        this("fake");
    }

    FakeEstimatorFactory(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "A fake estimator for tests";
    }

    @Override
    public ConfigSchema configSchema() {
        return new ConfigSchema("estimator " + name, List.of(WEIGHT));
    }

    @Override
    public Estimator create(Config config) {
        Objective objective =
                new Objective() {
                    @Override
                    public String name() {
                        return "click-space-ce";
                    }

                    @Override
                    public Set<String> towers() {
                        return Set.of(TowerNames.CVR);
                    }

                    @Override
                    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> in) {
                        T p =
                                ops.clamp(
                                        ops.sigmoid(in.outputs().get(TowerNames.CVR)),
                                        1e-7,
                                        1 - 1e-7);
                        T ce =
                                ops.neg(
                                        ops.add(
                                                ops.mul(in.conversions(), ops.log(p)),
                                                ops.mul(
                                                        ops.oneMinus(in.conversions()),
                                                        ops.log(ops.oneMinus(p)))));
                        T loss = ops.div(ops.sum(ops.mul(in.clicks(), ce)), ops.sum(in.clicks()));
                        return LossTerms.single("cvr", loss);
                    }
                };
        Propensity constant =
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
        Imputation none =
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
                        return ops.full(error, 0.0);
                    }
                };
        return new ComposedEstimator(
                name,
                config,
                List.of(TowerSpec.shared(TowerNames.CVR)),
                constant,
                none,
                TrainingSchedule.joint(objective, Set.of(TowerNames.CVR)),
                OptionalDouble.empty());
    }

    /** Resolves and creates from flat settings. */
    public Estimator create(String key, String value) {
        return create(Map.of(key, value));
    }
}
