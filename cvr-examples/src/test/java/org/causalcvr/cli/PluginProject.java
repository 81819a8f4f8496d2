package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A plugin project outside the repository (a folder with {@code src/main/java}, {@code
 * src/main/resources} and {@code src/test/java}), built as its author would: its main sources
 * compiled against {@code cvr-api} and its dependencies only (no other module of this repository on
 * the class path), packed into a jar, and its tests compiled and run with JUnit against that jar.
 * Every test class in {@code src/test/java} runs, so a conformance test from a test kit added there
 * runs too.
 */
final class PluginProject {
    private final Path root;

    private PluginProject(Path root) {
        this.root = root;
    }

    /** A copy of {@code source} in {@code folder}. */
    static PluginProject copy(Path source, Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = folder.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return new PluginProject(folder);
    }

    /** The test class path without this repository's modules other than cvr-api. */
    static List<Path> apiClassPath() {
        var out = new ArrayList<Path>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            boolean otherModule =
                    e.matches(".*/cvr-(?!api/)[a-z-]+/target/.*")
                            || e.matches(".*/cvr-(?!api-)[a-z-]+-0\\.1\\.0-SNAPSHOT.*\\.jar");
            if (!otherModule && !e.contains("/cvr-api/target/test-classes")) {
                out.add(Path.of(entry));
            }
        }
        return out;
    }

    /** Compiles the main sources and packs them with the resources into {@code jar}. */
    Path buildJar(Path jar) throws IOException {
        Path classes = root.resolve("target/classes");
        compile(root.resolve("src/main/java"), classes, apiClassPath());
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream raw = Files.newOutputStream(jar);
                var out = new JarOutputStream(raw)) {
            for (Path base : List.of(classes, root.resolve("src/main/resources"))) {
                try (Stream<Path> files = Files.walk(base)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        out.putNextEntry(
                                new JarEntry(base.relativize(f).toString().replace('\\', '/')));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }

    /** Compiles and runs every test class of the project against {@code jar}; the summary. */
    TestExecutionSummary runTests(Path jar) throws IOException {
        Path testClasses = root.resolve("target/test-classes");
        var classPath = new ArrayList<Path>();
        classPath.add(jar);
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.add(Path.of(e));
        }
        List<String> names = compile(root.resolve("src/test/java"), testClasses, classPath);
        try (var loader =
                new URLClassLoader(
                        new URL[] {url(testClasses), url(jar)},
                        Thread.currentThread().getContextClassLoader())) {
            var request = LauncherDiscoveryRequestBuilder.request();
            for (String name : names) {
                request.selectors(DiscoverySelectors.selectClass(load(loader, name)));
            }
            var listener = new SummaryGeneratingListener();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                LauncherFactory.create().execute(request.build(), listener);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
            return listener.getSummary();
        }
    }

    private static Class<?> load(ClassLoader loader, String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " was compiled but cannot be loaded", e);
        }
    }

    /** Compiles every .java file under {@code sources}; returns the top-level class names. */
    private static List<String> compile(Path sources, Path classes, List<Path> classPath)
            throws IOException {
        Files.createDirectories(classes);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        var args = new ArrayList<String>();
        args.addAll(
                Arrays.asList(
                        "-d",
                        classes.toString(),
                        "--release",
                        "17",
                        "-proc:none",
                        "-classpath",
                        String.join(
                                File.pathSeparator,
                                classPath.stream().map(Path::toString).toList())));
        files.forEach(f -> args.add(f.toString()));
        var err = new java.io.ByteArrayOutputStream();
        int code =
                ToolProvider.getSystemJavaCompiler()
                        .run(null, null, err, args.toArray(String[]::new));
        assertThat(code).as("javac of " + sources + ": " + err).isZero();
        return files.stream()
                .map(f -> sources.relativize(f).toString().replace(File.separatorChar, '.'))
                .map(n -> n.substring(0, n.length() - ".java".length()))
                .toList();
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
