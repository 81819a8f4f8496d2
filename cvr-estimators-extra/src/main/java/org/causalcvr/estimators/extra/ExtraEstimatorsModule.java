package org.causalcvr.estimators.extra;

import com.google.inject.AbstractModule;
import java.util.List;
import org.causalcvr.api.estimator.EstimatorFactory;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;
import org.causalcvr.estimators.extra.factories.DcmtFactory;
import org.causalcvr.estimators.extra.factories.DrBiasFactory;
import org.causalcvr.estimators.extra.factories.DrMseFactory;
import org.causalcvr.estimators.extra.factories.DrV2Factory;
import org.causalcvr.estimators.extra.factories.DynamicDrFactory;
import org.causalcvr.estimators.extra.factories.Escm2DrFactory;
import org.causalcvr.estimators.extra.factories.IpsV2Factory;
import org.causalcvr.estimators.extra.factories.MrdrFactory;
import org.causalcvr.estimators.extra.factories.NiseFactory;
import org.causalcvr.estimators.extra.factories.StableDrFactory;
import org.causalcvr.estimators.extra.factories.TdrClFactory;

/**
 * The plugin that registers the estimators that came after the paper, found by {@link
 * java.util.ServiceLoader} through {@code META-INF/services/org.causalcvr.api.plugin.CvrPlugin}:
 * {@code escm2-dr} (SIGIR 2022), {@code dcmt} (ICDE 2023), {@code mrdr} (SIGIR 2021), {@code
 * dr-bias} and {@code dr-mse} (KDD 2022), {@code ips-v2}, {@code dr-v2}, {@code stable-dr} and
 * {@code tdr-cl} (ICML and ICLR 2023), {@code d-dr} (NeurIPS 2024), {@code nise} (RecSys 2024).
 *
 * <pre>{@code
 * Estimator mrdr = CvrRuntime.load().estimator("mrdr").create(Map.of("ipw-bound", "0.01"));
 * }</pre>
 */
public final class ExtraEstimatorsModule extends AbstractModule implements CvrPlugin {
    /** The factories, oldest paper first. */
    public static List<EstimatorFactory> factories() {
        return List.of(
                new MrdrFactory(),
                new Escm2DrFactory(),
                new DrBiasFactory(),
                new DrMseFactory(),
                new DcmtFactory(),
                new IpsV2Factory(),
                new DrV2Factory(),
                new StableDrFactory(),
                new TdrClFactory(),
                new DynamicDrFactory(),
                new NiseFactory());
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
