package com.example.mydr;

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

/** my-dr: CTR, CVR and imputation towers trained jointly on {@link MyDrObjective}. */
public final class MyDrFactory implements EstimatorFactory {
    public static final String NAME = "my-dr";

    static final ConfigKey<Double> FLOOR =
            ConfigKey.ofDouble(
                    "propensity-floor",
                    0.05,
                    new DoubleRange(0, false, 1, true),
                    "floor on the propensity before it is inverted");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "A doubly robust CVR estimator built outside the repository (plugin example)";
    }

    @Override
    public ConfigSchema configSchema() {
        return new ConfigSchema("estimator " + NAME, List.of(FLOOR));
    }

    @Override
    public Estimator create(Config config) {
        double floor = config.get(FLOOR);
        Set<String> towers = Set.of(TowerNames.CTR, TowerNames.CVR, TowerNames.IMPUTATION);
        return new ComposedEstimator(
                NAME,
                config,
                List.of(
                        TowerSpec.shared(TowerNames.CTR),
                        TowerSpec.shared(TowerNames.CVR),
                        TowerSpec.shared(TowerNames.IMPUTATION)),
                new CtrPropensity(floor),
                new TowerImputation(),
                TrainingSchedule.joint(new MyDrObjective(floor), towers),
                OptionalDouble.empty());
    }

    /** p̂ = max(σ(ctr logit), floor), detached. */
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

    /** ê = CE(r̃, r̂) with r̃ = σ(imputation logit), detached. */
    record TowerImputation() implements Imputation {
        @Override
        public String name() {
            return "imputation-tower";
        }

        @Override
        public Set<String> towers() {
            return Set.of(TowerNames.IMPUTATION);
        }

        @Override
        public <T> T imputedError(Ops<T> ops, ObjectiveInput<T> input, T predictionError) {
            T imputed = ops.detach(MyDrObjective.probability(ops, input.outputs().get(TowerNames.IMPUTATION)));
            T predicted = MyDrObjective.probability(ops, input.outputs().get(TowerNames.CVR));
            return MyDrObjective.crossEntropy(ops, imputed, predicted);
        }
    }
}
