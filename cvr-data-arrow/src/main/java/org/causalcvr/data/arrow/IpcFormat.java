package org.causalcvr.data.arrow;

/** The two Arrow IPC layouts. */
public enum IpcFormat {
    /** The random-access file format (magic, batches, footer); the default, re-readable. */
    FILE,
    /** The streaming format (schema, batches, end-of-stream marker), for pipes and appends. */
    STREAM
}
