package org.causalcvr.data.arrow.synth;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.ExposureLogSchema;

/**
 * Which synthetic world, and which of its rows, a file holds: recorded in the file's schema
 * metadata by {@link SyntheticWorld#write}, so that a train and a test file can be checked to come
 * from the same world and not to share rows ({@link SplitCheck}).
 *
 * <p>Row {@code t} of a world is a deterministic function of the world (its parameters and seed)
 * and of {@code t} alone, so two files of one world hold the same exposures exactly where their row
 * ranges overlap, and are independent samples of the same population where they do not.
 *
 * @param seed the world's seed
 * @param parameters the fingerprint of the world's parameters, seed excluded ({@link
 *     WorldConfigText#fingerprint})
 * @param firstRow the first world row in the file
 * @param rows the number of world rows in the file (the file holds {@code [firstRow, firstRow +
 *     rows)})
 * @param description the parameters in full ({@link WorldConfigText#describe}), or empty when only
 *     the fingerprint is known (as in a model's provenance)
 */
public record WorldProvenance(
        long seed, String parameters, long firstRow, long rows, String description) {
    private static final Pattern IN_FINGERPRINT =
            Pattern.compile("-world-([0-9a-f]+)-([0-9a-f]+)-rows-([0-9a-f]+)-([0-9a-f]+)$");

    public WorldProvenance {
        if (parameters == null || parameters.isBlank()) {
            throw new IllegalArgumentException("A world provenance needs a parameter fingerprint");
        }
        if (firstRow < 0 || rows < 0) {
            throw new IllegalArgumentException(
                    "Row range [" + firstRow + ", +" + rows + ") is negative");
        }
        description = description == null ? "" : description;
    }

    /** The provenance of rows {@code [firstRow, firstRow + rows)} of the world {@code config}. */
    public static WorldProvenance of(WorldConfig config, long firstRow, long rows) {
        return new WorldProvenance(
                config.seed(),
                WorldConfigText.fingerprint(config),
                firstRow,
                rows,
                WorldConfigText.describe(config));
    }

    /** The row after the last one: the file holds {@code [firstRow, endRow)}. */
    public long endRow() {
        return firstRow + rows;
    }

    /** Whether {@code other} was drawn from the same world (same seed and parameters). */
    public boolean sameWorld(WorldProvenance other) {
        return seed == other.seed && parameters.equals(other.parameters);
    }

    /** The number of world rows both files hold (0 for files of different worlds). */
    public long sharedRows(WorldProvenance other) {
        if (!sameWorld(other)) {
            return 0;
        }
        return Math.max(0, Math.min(endRow(), other.endRow()) - Math.max(firstRow, other.firstRow));
    }

    /**
     * The world's config, rebuilt from the description (empty when only the fingerprint is known).
     */
    public Optional<WorldConfig> config() {
        return description.isEmpty()
                ? Optional.empty()
                : Optional.of(WorldConfigText.parse(description, seed));
    }

    /** The schema metadata entries that record this provenance. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ExposureLogSchema.WORLD_SEED_KEY, Long.toString(seed));
        m.put(ExposureLogSchema.WORLD_PARAMETERS_KEY, parameters);
        m.put(ExposureLogSchema.WORLD_FIRST_ROW_KEY, Long.toString(firstRow));
        m.put(ExposureLogSchema.WORLD_ROWS_KEY, Long.toString(rows));
        if (!description.isEmpty()) {
            m.put(ExposureLogSchema.WORLD_CONFIG_KEY, description);
        }
        return m;
    }

    /**
     * The provenance that schema metadata records, or empty when the metadata names no world (a
     * converted real data set, or a file written before worlds were recorded).
     *
     * @throws DataException when the world keys are present but malformed
     */
    public static Optional<WorldProvenance> fromMetadata(Map<String, String> meta) {
        String seed = meta.get(ExposureLogSchema.WORLD_SEED_KEY);
        if (seed == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new WorldProvenance(
                            Long.parseLong(seed),
                            meta.get(ExposureLogSchema.WORLD_PARAMETERS_KEY),
                            Long.parseLong(meta.get(ExposureLogSchema.WORLD_FIRST_ROW_KEY)),
                            Long.parseLong(meta.get(ExposureLogSchema.WORLD_ROWS_KEY)),
                            meta.getOrDefault(ExposureLogSchema.WORLD_CONFIG_KEY, "")));
        } catch (NumberFormatException e) {
            throw new DataException(
                    "Malformed synthetic-world metadata (" + e.getMessage() + "): " + meta);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new DataException("Incomplete synthetic-world metadata: " + meta);
        }
    }

    /** The provenance a source records: only Arrow files carry one. */
    public static Optional<WorldProvenance> of(ExposureSource source) {
        return source instanceof ArrowExposureSource a
                ? fromMetadata(a.metadata())
                : Optional.empty();
    }

    /** The provenance recorded in the Arrow file {@code path} (only its schema is read). */
    public static Optional<WorldProvenance> read(Path path) {
        try (Allocators memory = Allocators.create()) {
            return fromMetadata(ArrowExposureSource.open(path, memory).metadata());
        }
    }

    /**
     * The provenance folded into an Arrow source's {@code fingerprint()} (which a trained model
     * keeps as its training data's fingerprint), without the description; empty when the
     * fingerprint names no world.
     */
    public static Optional<WorldProvenance> fromFingerprint(String fingerprint) {
        if (fingerprint == null) {
            return Optional.empty();
        }
        Matcher m = IN_FINGERPRINT.matcher(fingerprint);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new WorldProvenance(
                            Long.parseUnsignedLong(m.group(1), 16),
                            m.group(2),
                            Long.parseUnsignedLong(m.group(3), 16),
                            Long.parseUnsignedLong(m.group(4), 16),
                            ""));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
