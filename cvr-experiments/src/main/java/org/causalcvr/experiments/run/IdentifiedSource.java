package org.causalcvr.experiments.run;

import java.util.Objects;
import java.util.OptionalLong;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.data.FeatureSchema;

/**
 * A source that reads another one's rows but names them better: for example a file cached from a
 * synthetic world, described by the world's seed and row range rather than by its path, so that the
 * model's provenance and the report say which draw of which world the rows are. The fingerprint
 * keeps the underlying one as a suffix, so a changed file still changes it.
 */
public final class IdentifiedSource implements ExposureSource {
    private final ExposureSource rows;
    private final String description;
    private final String fingerprint;

    private IdentifiedSource(ExposureSource rows, String description, String fingerprint) {
        this.rows = Objects.requireNonNull(rows);
        this.description = Objects.requireNonNull(description);
        this.fingerprint = Objects.requireNonNull(fingerprint);
    }

    /**
     * {@code rows} described as {@code description}, fingerprinted as {@code identity} followed by
     * the underlying fingerprint.
     */
    public static ExposureSource of(ExposureSource rows, String description, String identity) {
        return new IdentifiedSource(rows, description, identity + "+" + rows.fingerprint());
    }

    @Override
    public FeatureSchema schema() {
        return rows.schema();
    }

    @Override
    public OptionalLong rowCount() {
        return rows.rowCount();
    }

    @Override
    public BatchCursor open() {
        return rows.open();
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String description() {
        return description;
    }
}
