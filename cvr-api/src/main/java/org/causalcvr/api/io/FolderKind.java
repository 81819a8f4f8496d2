package org.causalcvr.api.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A kind of folder the library writes as a whole (a saved model, a checkpoint, a report), and how
 * to recognise one that it wrote, so that replacing it loses nothing of the user's.
 *
 * <p>Contract: {@link #notOurs} returns empty only when every entry of the folder is one the writer
 * of this kind creates and the folder carries the kind's marker. A folder that holds one foreign
 * file is not ours, even if the marker is there.
 */
public interface FolderKind {
    /** What the folder is, in words, such as {@code causal-cvr model folder}. */
    String description();

    /**
     * Why {@code folder} (an existing directory) is not a folder of this kind, or empty if it is.
     */
    Optional<String> notOurs(Path folder);

    /**
     * A kind recognised by a marker file whose text satisfies {@code marker}, in a folder whose
     * every entry name satisfies {@code ownNames}.
     *
     * @param description what the folder is, in words
     * @param markerFile the file every folder of this kind holds, such as {@code model.json}
     * @param marker true for the marker file's text when the library wrote it
     * @param ownNames true for the name of every entry the writer creates
     */
    static FolderKind marked(
            String description,
            String markerFile,
            Predicate<String> marker,
            Predicate<String> ownNames) {
        return new FolderKind() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public Optional<String> notOurs(Path folder) {
                try (Stream<Path> entries = Files.list(folder)) {
                    Optional<String> foreign =
                            entries.map(p -> p.getFileName().toString())
                                    .filter(ownNames.negate())
                                    .sorted()
                                    .findFirst();
                    if (foreign.isPresent()) {
                        return Optional.of("it holds '" + foreign.get() + "'");
                    }
                    Path m = folder.resolve(markerFile);
                    if (!Files.isRegularFile(m)) {
                        return Optional.of("it has no " + markerFile);
                    }
                    if (!marker.test(Files.readString(m, StandardCharsets.UTF_8))) {
                        return Optional.of("its " + markerFile + " was not written by causal-cvr");
                    }
                    return Optional.empty();
                } catch (IOException | RuntimeException e) {
                    return Optional.of("it cannot be read (" + e.getMessage() + ")");
                }
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
