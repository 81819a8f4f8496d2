package org.causalcvr.data.arrow;

/**
 * Whether a reader checks the {@linkplain ContentChecksum content checksum} our writers record.
 *
 * <p>The default follows the measured cost (DataBench's format comparison, in CPU time): a CRC32C
 * pass costs 6-8% of a bare Arrow IPC scan, which is little more than a memory copy, but about 2%
 * of a Parquet scan, which decodes pages (4-6 times the CPU of an Arrow scan). So {@link #AUTO}
 * verifies Parquet files and leaves Arrow IPC files to an explicit {@link #ON} ({@code cvr
 * --verify}).
 */
public enum Verification {
    /** Verify where it costs under 5% of a scan: Parquet files yes, Arrow IPC files no. */
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
