package org.causalcvr.experiments.run;

import java.util.OptionalLong;
import org.causalcvr.api.data.ExposureSource;

/**
 * Which data a model was trained or tested on, as recorded in reports: what the source calls itself
 * (a path, or a generator's world and row range), its row count when known without reading, and its
 * {@link ExposureSource#fingerprint()} (the identity the backend also records in the model's
 * provenance: a content hash for in-memory data, size, time and schema for files).
 *
 * @param description the source's description
 * @param rows the number of rows, or -1 when the source does not know it without reading
 * @param fingerprint the source's fingerprint
 */
public record DataIdentity(String description, long rows, String fingerprint) {
    /** The identity {@code source} declares. */
    public static DataIdentity of(ExposureSource source) {
        OptionalLong rows = source.rowCount();
        return new DataIdentity(
                source.description(),
                rows.isPresent() ? rows.getAsLong() : -1,
                source.fingerprint());
    }

    @Override
    public String toString() {
        return description + " (" + (rows >= 0 ? rows + " rows, " : "") + fingerprint + ")";
    }
}
