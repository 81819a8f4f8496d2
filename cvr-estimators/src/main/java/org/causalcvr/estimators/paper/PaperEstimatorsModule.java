package org.causalcvr.estimators.paper;

import com.google.inject.AbstractModule;
import java.util.List;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;

/**
 * The plugin that registers the paper's ten estimators, found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/org.causalcvr.api.plugin.CvrPlugin}: {@code base}, {@code
 * oversampling}, {@code esmm}, {@code esmm-ns}, {@code naive-imputation}, {@code naive-ipw}, {@code
 * joint-learning-dr}, {@code heuristic-dr}, {@code multi-ipw}, {@code multi-dr}.
 *
 * <pre>{@code
 * Estimator multiDr = CvrRuntime.load().estimator("multi-dr").create(Map.of("undersample-rate", "2"));
 * }</pre>
 */
public final class PaperEstimatorsModule extends AbstractModule implements CvrPlugin {
    /** The factories, in the order of the paper's tables (non-causal, then causal). */
    public static List<EstimatorFactory> factories() {
        return List.of(
                new BaseFactory(),
                new OversamplingFactory(),
                new EsmmFactory(),
                new EsmmNsFactory(),
                new NaiveImputationFactory(),
                new NaiveIpwFactory(),
                new JointLearningDrFactory(),
                new HeuristicDrFactory(),
                new MultiIpwFactory(),
                new MultiDrFactory());
    }

    @Override
    protected void configure() {
        var estimators = CvrBinders.estimators(binder());
        // Factories are stateless, so one instance each serves the whole program.
        for (EstimatorFactory factory : factories()) {
            estimators.addBinding(factory.name()).toInstance(factory);
        }
    }
}
