package org.causalcvr.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.junit.jupiter.api.Test;

/**
 * cvr-spark reaches Arrow only through cvr-data-arrow's project-typed API (DESIGN.md: no module but
 * cvr-data-arrow uses org.apache.arrow). Checked on the compiled classes, not the sources: a call
 * such as {@code schema.toArrow().toJson()} names an Arrow class in the bytecode without any
 * import.
 */
class NoArrowTypesTest {
    private static final String ARROW = "org/apache/arrow/";

    @Test
    void noCompiledClassOfTheModuleReferencesArrow() throws Exception {
        Map<String, String> classes = compiledClasses(LogSchemas.class);
        assertThat(classes).hasSizeGreaterThan(10);
        List<String> offenders =
                classes.entrySet().stream()
                        .filter(e -> e.getValue().contains(ARROW))
                        .map(Map.Entry::getKey)
                        .toList();
        assertThat(offenders).as("classes of cvr-spark naming " + ARROW).isEmpty();
    }

    @Test
    void theScanSeesAnArrowReferenceWhereThereIsOne() throws Exception {
        // Power twin: the data module's schema class names Arrow types in its signatures.
        String schema = compiledClasses(ExposureLogSchema.class).get("ExposureLogSchema.class");
        assertThat(schema).isNotNull().contains(ARROW);
    }

    /**
     * The class files of the package of {@code anchor} (directory or jar), by file name, each as
     * ISO-8859-1 text: class and descriptor names sit in the constant pool as plain UTF-8 bytes.
     */
    private static Map<String, String> compiledClasses(Class<?> anchor)
            throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        String pkg = anchor.getPackageName().replace('.', '/');
        if (Files.isDirectory(location)) {
            return read(location.resolve(pkg));
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return read(jar.getPath(pkg));
        }
    }

    private static Map<String, String> read(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(x -> x.toString().endsWith(".class")).toList()) {
                out.put(
                        p.getFileName().toString(),
                        new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
