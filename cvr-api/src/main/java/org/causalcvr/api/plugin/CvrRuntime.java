package org.causalcvr.api.plugin;

import com.google.inject.Binding;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinderBinding;
import com.google.inject.multibindings.MultibinderBinding;
import com.google.inject.multibindings.MultibindingsTargetVisitor;
import com.google.inject.multibindings.OptionalBinderBinding;
import com.google.inject.spi.DefaultBindingTargetVisitor;
import com.google.inject.spi.Element;
import com.google.inject.spi.Elements;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.UnknownNameException;
import org.causalcvr.api.backend.BackendFactory;
import org.causalcvr.api.estimator.EstimatorFactory;

/**
 * The plugins of a program, wired: every {@link CvrPlugin} on the class path (found by {@link
 * ServiceLoader}), installed into one Guice injector in {@link Stage#PRODUCTION} with explicit
 * bindings required, and the estimators and backends they register, looked up by name.
 *
 * <pre>{@code
 * CvrRuntime runtime = CvrRuntime.load();
 * Estimator multiDr = runtime.estimator("multi-dr").create(Map.of("undersample-rate", "2"));
 * }</pre>
 *
 * <p>Start-up fails with a {@link DuplicateNameException} naming both plugins when two claim one
 * name; a lookup of an unknown name fails with the sorted list of known names.
 */
public final class CvrRuntime {
    private static final Key<Map<String, EstimatorFactory>> ESTIMATORS =
            Key.get(new TypeLiteral<Map<String, EstimatorFactory>>() {});
    private static final Key<Map<String, BackendFactory>> BACKENDS =
            Key.get(new TypeLiteral<Map<String, BackendFactory>>() {});

    private final List<CvrPlugin> plugins;
    private final Injector injector;
    private final Map<String, EstimatorFactory> estimators;
    private final Map<String, BackendFactory> backends;
    private final Map<String, String> estimatorPlugins;
    private final Map<String, String> backendPlugins;

    private CvrRuntime(List<CvrPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
        var allElements = new ArrayList<Element>();
        var estimatorOwners = new HashMap<String, String>();
        var backendOwners = new HashMap<String, String>();
        for (CvrPlugin plugin : plugins) {
            List<Element> elements;
            try {
                elements = Elements.getElements(Stage.PRODUCTION, plugin);
            } catch (RuntimeException e) {
                throw new CvrException(
                        "Plugin " + plugin.pluginName() + " failed to configure: " + e.getMessage(),
                        e);
            }
            var names = new NamesCollector(elements);
            for (Element element : elements) {
                if (element instanceof Binding<?> binding) {
                    binding.acceptTargetVisitor(names);
                }
            }
            claim("estimator", names.estimators, plugin, estimatorOwners);
            claim("backend", names.backends, plugin, backendOwners);
            allElements.addAll(elements);
        }
        try {
            this.injector =
                    Guice.createInjector(
                            Stage.PRODUCTION,
                            binder -> {
                                binder.requireExplicitBindings();
                                // Both maps exist even when no plugin contributes to them.
                                CvrBinders.estimators(binder);
                                CvrBinders.backends(binder);
                            },
                            Elements.getModule(allElements));
        } catch (CreationException e) {
            throw new CvrException(
                    "Plugins failed to start: "
                            + e.getErrorMessages()
                                    .iterator()
                                    .next()
                                    .getMessage()
                                    .replace('\n', ' '),
                    e);
        }
        this.estimators =
                Collections.unmodifiableMap(new TreeMap<>(injector.getInstance(ESTIMATORS)));
        this.backends = Collections.unmodifiableMap(new TreeMap<>(injector.getInstance(BACKENDS)));
        this.estimatorPlugins = Map.copyOf(estimatorOwners);
        this.backendPlugins = Map.copyOf(backendOwners);
        estimators.forEach(
                (name, factory) -> {
                    if (!name.equals(factory.name())) {
                        throw new CvrException(
                                "Plugin "
                                        + estimatorOwners.get(name)
                                        + " binds estimator '"
                                        + name
                                        + "' to a factory named '"
                                        + factory.name()
                                        + "'");
                    }
                });
        backends.forEach(
                (name, factory) -> {
                    if (!name.equals(factory.name())) {
                        throw new CvrException(
                                "Plugin "
                                        + backendOwners.get(name)
                                        + " binds backend '"
                                        + name
                                        + "' to a factory named '"
                                        + factory.name()
                                        + "'");
                    }
                });
    }

    /** Every plugin on the thread's context class path. */
    public static CvrRuntime load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : CvrRuntime.class.getClassLoader());
    }

    /**
     * Every plugin on the program's class path and on {@code plugins} (jars from outside the
     * program, see {@link PluginPath}).
     */
    public static CvrRuntime load(PluginPath plugins) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(
                plugins.classLoader(loader != null ? loader : CvrRuntime.class.getClassLoader()));
    }

    /** Every plugin visible to {@code loader}. */
    public static CvrRuntime load(ClassLoader loader) {
        var found = new ArrayList<CvrPlugin>();
        try {
            for (CvrPlugin plugin : ServiceLoader.load(CvrPlugin.class, loader)) {
                found.add(plugin);
            }
        } catch (ServiceConfigurationError e) {
            throw new CvrException("A plugin could not be loaded: " + e.getMessage(), e);
        }
        return of(found);
    }

    /** Exactly these plugins (for tests and embedding). */
    public static CvrRuntime of(List<? extends CvrPlugin> plugins) {
        return new CvrRuntime(new ArrayList<>(plugins));
    }

    /** The plugins, in discovery order. */
    public List<CvrPlugin> plugins() {
        return plugins;
    }

    /** The factory registered as {@code name}, or an error listing the known names. */
    public EstimatorFactory estimator(String name) {
        EstimatorFactory factory = estimators.get(name);
        if (factory == null) {
            throw new UnknownNameException("estimator", name, estimators.keySet());
        }
        return factory;
    }

    /** Every estimator name, sorted. */
    public SortedSet<String> estimatorNames() {
        return new TreeSet<>(estimators.keySet());
    }

    /** Every estimator factory, by name, sorted. */
    public Map<String, EstimatorFactory> estimators() {
        return estimators;
    }

    /** The plugin (class name) that registered estimator {@code name}. */
    public String pluginOfEstimator(String name) {
        estimator(name);
        return estimatorPlugins.get(name);
    }

    /** The backend factory registered as {@code name}, or an error listing the known names. */
    public BackendFactory backend(String name) {
        BackendFactory factory = backends.get(name);
        if (factory == null) {
            throw new UnknownNameException("backend", name, backends.keySet());
        }
        return factory;
    }

    /** Every backend name, sorted. */
    public SortedSet<String> backendNames() {
        return new TreeSet<>(backends.keySet());
    }

    /** The plugin (class name) that registered backend {@code name}. */
    public String pluginOfBackend(String name) {
        backend(name);
        return backendPlugins.get(name);
    }

    /** The injector, for applications that bind more than estimators and backends. */
    public Injector injector() {
        return injector;
    }

    private static void claim(
            String kind, List<String> names, CvrPlugin plugin, Map<String, String> owners) {
        var own = new TreeSet<String>();
        for (String name : names) {
            if (!own.add(name)) {
                throw new DuplicateNameException(
                        kind, name, plugin.pluginName(), plugin.pluginName());
            }
            String previous = owners.putIfAbsent(name, plugin.pluginName());
            if (previous != null) {
                throw new DuplicateNameException(kind, name, previous, plugin.pluginName());
            }
        }
    }

    /** Reads, through Guice's SPI, the names a plugin's elements add to the two maps. */
    private static final class NamesCollector extends DefaultBindingTargetVisitor<Object, Void>
            implements MultibindingsTargetVisitor<Object, Void> {
        private final List<Element> elements;
        final List<String> estimators = new ArrayList<>();
        final List<String> backends = new ArrayList<>();

        NamesCollector(List<Element> elements) {
            this.elements = elements;
        }

        @Override
        public Void visit(MapBinderBinding<? extends Object> mapBinding) {
            List<String> target;
            if (mapBinding.getMapKey().equals(ESTIMATORS)) {
                target = estimators;
            } else if (mapBinding.getMapKey().equals(BACKENDS)) {
                target = backends;
            } else {
                return null;
            }
            for (Map.Entry<?, Binding<?>> entry : mapBinding.getEntries(elements)) {
                target.add(String.valueOf(entry.getKey()));
            }
            return null;
        }

        @Override
        public Void visit(MultibinderBinding<? extends Object> multibinding) {
            return null;
        }

        @Override
        public Void visit(OptionalBinderBinding<? extends Object> optionalbinding) {
            return null;
        }
    }
}
