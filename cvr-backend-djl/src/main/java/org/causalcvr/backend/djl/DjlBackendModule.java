package org.causalcvr.backend.djl;

import com.google.inject.AbstractModule;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;

/** The plugin that registers the {@code djl} backend (found by {@link java.util.ServiceLoader}). */
public final class DjlBackendModule extends AbstractModule implements CvrPlugin {
    @Override
    protected void configure() {
        CvrBinders.backends(binder()).addBinding("djl").to(DjlBackendFactory.class);
        bind(DjlBackendFactory.class);
    }
}
