package org.causalcvr.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rule of DESIGN.md that the enforcer cannot see (it checks declared dependencies, not
 * what the code of a module names through a transitive one): no module but {@code cvr-data-arrow}
 * names a class of {@code org.apache.arrow}, and no module but {@code cvr-backend-djl} one of
 * {@code ai.djl}, in its main or test sources. String literals (such as a {@code -Dai.djl.offline}
 * flag handed to a child process) are not references and are skipped.
 */
class LayeringTest {
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void onlyTheDataModuleNamesArrow() {
        assertThat(references("org.apache.arrow", "cvr-data-arrow")).isEmpty();
    }

    @Test
    void onlyTheBackendModuleNamesDjl() {
        assertThat(references("ai.djl", "cvr-backend-djl")).isEmpty();
    }

    @Test
    void theScanFindsTheReferencesOfTheAllowedModule() {
        // Power twin: the scan reads the real sources, so it sees the data module's Arrow imports.
        assertThat(references("org.apache.arrow", "none"))
                .anyMatch(line -> line.startsWith("cvr-data-arrow/"));
    }

    /**
     * Lines, as {@code module/path:line: text}, naming {@code pkg} outside module {@code owner}.
     */
    private static List<String> references(String pkg, String owner) {
        Pattern ref = Pattern.compile("\\b" + Pattern.quote(pkg) + "\\.");
        Path root = repositoryRoot();
        List<String> found = new ArrayList<>();
        for (String module : modules(root)) {
            if (module.equals(owner)) {
                continue;
            }
            Path src = root.resolve(module).resolve("src");
            if (!Files.isDirectory(src)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String code = STRING.matcher(lines.get(i)).replaceAll("\"\"");
                        if (ref.matcher(code).find()) {
                            found.add(
                                    module
                                            + "/"
                                            + root.resolve(module).relativize(f)
                                            + ":"
                                            + (i + 1)
                                            + ": "
                                            + lines.get(i).strip());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /** The reactor's root: the nearest folder above this module whose pom lists modules. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath().getParent();
        while (dir != null) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && !modules(dir).isEmpty()) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("No parent pom listing modules above " + Path.of(""));
    }

    private static List<String> modules(Path dir) {
        try {
            String pom = Files.readString(dir.resolve("pom.xml"));
            List<String> modules = new ArrayList<>();
            Matcher m = MODULE.matcher(pom);
            while (m.find()) {
                modules.add(m.group(1).strip());
            }
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
