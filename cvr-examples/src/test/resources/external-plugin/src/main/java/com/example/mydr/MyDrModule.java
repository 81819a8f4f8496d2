package com.example.mydr;

import com.google.inject.AbstractModule;
import org.causalcvr.api.plugin.CvrBinders;
import org.causalcvr.api.plugin.CvrPlugin;

/** Registers my-dr; found through META-INF/services/org.causalcvr.api.plugin.CvrPlugin. */
public final class MyDrModule extends AbstractModule implements CvrPlugin {
    @Override
    protected void configure() {
        CvrBinders.estimators(binder()).addBinding(MyDrFactory.NAME).toInstance(new MyDrFactory());
    }
}
