package org.causalcvr.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.CvrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginPathTest {
    @TempDir Path dir;

    @Test
    void theOptionWinsOverTheEnvironmentVariable() throws IOException {
        Path a = Files.createFile(dir.resolve("a.jar"));
        Path b = Files.createFile(dir.resolve("b.jar"));
        var env = Map.of(PluginPath.ENVIRONMENT_VARIABLE, b.toString());
        assertThat(PluginPath.resolve(Optional.of(a.toString()), env).entries()).containsExactly(a);
        assertThat(PluginPath.resolve(Optional.empty(), env).entries()).containsExactly(b);
        assertThat(PluginPath.resolve(Optional.empty(), Map.of()).entries()).isEmpty();
    }

    @Test
    void aFolderStandsForItsJarsInNameOrderAndItself() throws IOException {
        Path plugins = Files.createDirectory(dir.resolve("plugins"));
        Path z = Files.createFile(plugins.resolve("z.jar"));
        Path m = Files.createFile(plugins.resolve("m.jar"));
        Files.createFile(plugins.resolve("notes.txt"));
        Path jar = Files.createFile(dir.resolve("single.jar"));
        var path = PluginPath.parse(plugins + File.pathSeparator + jar);
        assertThat(path.classPath()).containsExactly(m, z, plugins, jar);
    }

    @Test
    void aMissingEntryOrANonJarFileIsRefusedNamingIt() throws IOException {
        Path missing = dir.resolve("missing.jar");
        assertThatThrownBy(() -> PluginPath.parse(missing.toString()))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        Path text = Files.createFile(dir.resolve("plugin.txt"));
        assertThatThrownBy(() -> PluginPath.parse(text.toString()))
                .isInstanceOf(CvrException.class)
                .hasMessageContaining(text.toString());
    }

    @Test
    void noEntriesKeepTheProgramsClassLoader() {
        ClassLoader own = getClass().getClassLoader();
        assertThat(PluginPath.none().classLoader(own)).isSameAs(own);
    }
}
