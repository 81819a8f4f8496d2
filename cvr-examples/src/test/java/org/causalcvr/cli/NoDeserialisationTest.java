package org.causalcvr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No Java deserialisation anywhere in the tool: a model, checkpoint or data file is parsed by code
 * that checks every field, never turned into objects by {@code ObjectInputStream} (which runs code
 * chosen by whoever wrote the file). Scans the main sources of every module.
 */
class NoDeserialisationTest {
    private static final List<String> BANNED =
            List.of("ObjectInputStream", "readObject(", "readUnshared(", "XMLDecoder");

    @Test
    void noMainSourceDeserialisesJavaObjects() throws IOException {
        Path root = Path.of(System.getProperty("cvr.home", "..")).toAbsolutePath().normalize();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.filter(p -> Files.isDirectory(p.resolve("src/main"))).toList()) {
                try (Stream<Path> s = Files.walk(m.resolve("src/main"))) {
                    s.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        assertThat(sources).as("the scan sees the tool's sources").hasSizeGreaterThan(100);
        List<String> found = new ArrayList<>();
        for (Path p : sources) {
            String text = Files.readString(p);
            for (String b : BANNED) {
                if (text.contains(b)) {
                    found.add(root.relativize(p) + ": " + b);
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
