package org.causalcvr.api.plugin;

import com.google.inject.Binder;
import com.google.inject.multibindings.MapBinder;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.estimator.EstimatorFactory;

/** Typed binder helpers for plugins: the maps that {@link CvrRuntime} reads by name. */
public final class CvrBinders {
    private CvrBinders() {}

    /** The map from estimator name to factory; the key must equal the factory's {@code name()}. */
    public static MapBinder<String, EstimatorFactory> estimators(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, EstimatorFactory.class);
    }

    /** The map from backend name to factory; the key must equal the factory's {@code name()}. */
    public static MapBinder<String, BackendFactory> backends(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, BackendFactory.class);
    }
}
