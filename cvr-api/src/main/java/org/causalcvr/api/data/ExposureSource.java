package org.causalcvr.api.data;

import java.util.OptionalLong;

/**
 * A re-readable exposure log: every {@link #open()} streams the same rows in the same order, in
 * bounded memory, however many rows there are. Training opens it once per epoch.
 */
public interface ExposureSource {
    /** The feature schema of every batch. */
    FeatureSchema schema();

    /** Total number of rows, if known without reading the data. */
    OptionalLong rowCount();

    /** A new cursor at the first batch. The caller closes it. */
    BatchCursor open();

    /**
     * A short, stable identity of the data (for example a hash of the file's size, modification
     * time and schema), recorded in a trained model's provenance.
     */
    String fingerprint();

    /** A human-readable description (a file name), for messages and reports. */
    String description();
}
