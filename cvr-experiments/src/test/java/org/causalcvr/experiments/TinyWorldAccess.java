package org.causalcvr.experiments;

import org.causalcvr.api.data.ExposureSource;

/** The package-private {@link TinyWorld} for tests of the sub-packages. */
public final class TinyWorldAccess {
    private TinyWorldAccess() {}

    /** A tiny world drawn with {@code seed}, as an opaque handle. */
    public static Object world(long seed) {
        return new TinyWorld(seed);
    }

    /** Rows {@code [first, first + rows)} of {@code world}. */
    public static ExposureSource rows(Object world, long first, int rows) {
        return ((TinyWorld) world).rows(first, rows);
    }
}
