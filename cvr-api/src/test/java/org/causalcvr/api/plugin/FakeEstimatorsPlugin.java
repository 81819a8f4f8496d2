package org.causalcvr.api.plugin;

import com.google.inject.AbstractModule;

/** Registered only through the test resources' META-INF/services file. */
public final class FakeEstimatorsPlugin extends AbstractModule implements CvrPlugin {
    @Override
    protected void configure() {
        bind(FakeEstimatorFactory.class);
        CvrBinders.estimators(binder()).addBinding("fake").to(FakeEstimatorFactory.class);
    }
}
