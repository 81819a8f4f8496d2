package org.causalcvr.examples.escm2;

import com.google.inject.AbstractModule;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;

/**
 * The worked third-party plugin: one Guice module, found through {@code
 * META-INF/services/org.causalcvr.api.plugin.CvrPlugin}, that adds {@code escm2-ipw}.
 */
public final class Escm2Module extends AbstractModule implements CvrPlugin {
    @Override
    protected void configure() {
        CvrBinders.estimators(binder())
                .addBinding(Escm2IpwFactory.NAME)
                .toInstance(new Escm2IpwFactory());
    }
}
