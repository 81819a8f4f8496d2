package org.causalcvr.api.plugin;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.causalcvr.api.CvrException;

/**
 * Where plugins from outside the program's class path are found: a list of entries separated by the
 * platform's path separator ({@code :} on Unix), each a plugin jar, a folder of plugin jars (its
 * {@code *.jar} files, in name order, and the folder itself as a class folder), or a class folder.
 *
 * <p>The path comes from the {@code --plugins} option when one is given, else from the environment
 * variable {@value #ENVIRONMENT_VARIABLE}: the option wins, the two are not combined. The jars are
 * opened by one {@link URLClassLoader} whose parent is the program's class loader, so a plugin sees
 * the API and the built-in estimators, and {@link CvrRuntime#load(ClassLoader)} finds built-in and
 * external plugins alike through {@link java.util.ServiceLoader}.
 */
public final class PluginPath {
    /** The environment variable read when no option is given. */
    public static final String ENVIRONMENT_VARIABLE = "CVR_PLUGIN_PATH";

    private final List<Path> entries;

    private PluginPath(List<Path> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No external plugins. */
    public static PluginPath none() {
        return new PluginPath(List.of());
    }

    /**
     * Parses {@code path}; an entry that does not exist, or a file that is no jar, fails naming it.
     */
    public static PluginPath parse(String path) {
        var entries = new ArrayList<Path>();
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry.trim());
            if (Files.isDirectory(p)) {
                entries.add(p);
            } else if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")) {
                entries.add(p);
            } else if (Files.exists(p)) {
                throw new CvrException(
                        "Plugin path entry " + p + " is neither a jar file nor a folder");
            } else {
                throw new CvrException("Plugin path entry " + p + " does not exist");
            }
        }
        return new PluginPath(entries);
    }

    /**
     * The option's path when given, else {@value #ENVIRONMENT_VARIABLE}'s from {@code environment},
     * else none.
     */
    public static PluginPath resolve(Optional<String> option, Map<String, String> environment) {
        if (option.isPresent()) {
            return parse(option.get());
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        return fromEnvironment == null || fromEnvironment.isBlank()
                ? none()
                : parse(fromEnvironment);
    }

    /** The entries as given. */
    public List<Path> entries() {
        return entries;
    }

    /** The jar files and class folders the entries stand for, in order. */
    public List<Path> classPath() {
        var out = new ArrayList<Path>();
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.list(entry)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                            .filter(Files::isRegularFile)
                            .sorted()
                            .forEach(out::add);
                } catch (IOException e) {
                    throw new CvrException("Cannot list plugin folder " + entry + ": " + e, e);
                }
            }
            out.add(entry);
        }
        return out;
    }

    /**
     * A class loader over {@link #classPath()} with {@code parent} as its parent; {@code parent}
     * itself when there are no entries.
     */
    public ClassLoader classLoader(ClassLoader parent) {
        if (entries.isEmpty()) {
            return parent;
        }
        var urls = new ArrayList<URL>();
        for (Path p : classPath()) {
            try {
                urls.add(p.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new CvrException("Plugin path entry " + p + " is no valid URL", e);
            }
        }
        return new URLClassLoader("cvr-plugins", urls.toArray(URL[]::new), parent);
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
