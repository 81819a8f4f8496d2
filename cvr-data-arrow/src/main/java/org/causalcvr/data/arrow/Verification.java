package org.causalcvr.data.arrow;

/**
 * Whether a reader checks the {@linkplain ContentChecksum content checksum} our writers record.
 *
 * <p>The default follows the measured cost (DataBench, see the README): a CRC32C pass costs about 8
 * % of a bare Arrow IPC scan, which is close to a memory copy, but about 1.5 % of a Parquet scan,
 * which decodes pages. So {@link #AUTO} verifies Parquet files and leaves Arrow IPC files to an
 * explicit {@link #ON} ({@code cvr --verify}).
 */
public enum Verification {
    /** Verify where it costs under 5 % of a scan: Parquet files yes, Arrow IPC files no. */
    AUTO,
    /** Verify every file that carries a checksum. */
    ON,
    /** Never verify. */
    OFF;

    /** Whether a file of this format is verified. */
    boolean verifies(boolean parquet) {
        return this == ON || (this == AUTO && parquet);
    }
}
