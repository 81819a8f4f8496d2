package org.causalcvr.api.plugin;

import com.google.inject.Module;

/**
 * A causal-cvr plugin: a Guice {@link Module} found by {@link java.util.ServiceLoader}.
 *
 * <p>A third party adds estimators (or backends) without touching the core: write one module and
 * one services file.
 *
 * <pre>{@code
 * public final class MyEstimatorsModule extends AbstractModule implements CvrPlugin {
 *     @Override protected void configure() {
 *         CvrBinders.estimators(binder()).addBinding("my-dr").to(MyDrFactory.class);
 *     }
 * }
 * // src/main/resources/META-INF/services/org.causalcvr.api.plugin.CvrPlugin:
 * //     com.example.MyEstimatorsModule
 * }</pre>
 *
 * <p>Contract (Guice's own advice): {@code configure()} is fast and free of side effects, binds
 * factories rather than trained or {@link AutoCloseable} things, and needs a public no-argument
 * constructor for {@code ServiceLoader}. A name bound by two plugins makes {@link CvrRuntime} fail
 * at start-up, naming both.
 */
public interface CvrPlugin extends Module {
    /** The plugin's name in messages; its class name by default. */
    default String pluginName() {
        return getClass().getName();
    }
}
