package org.causalcvr.data.arrow;

/**
 * How an {@link ArrowExposureSource} reads.
 *
 * @param conversionWithoutClick what to do with a conversion whose click is 0. {@link
 *     ConversionPolicy#FAIL} (the default) stops at the first such row. {@link
 *     ConversionPolicy#DROP_AND_COUNT} copies the few batches that hold such rows without them
 *     (those batches lose the zero-copy path) and counts them in {@link
 *     ArrowBatchCursor#droppedRows()}.
 * @param verifyChecksum whether to check the content checksum that our writers record (a CRC32C per
 *     block of rows, see {@link ExposureWriter}); files without one are read unchecked. On by
 *     default: it costs one CRC32C pass over bytes the scan touches anyway.
 */
public record ReadOptions(ConversionPolicy conversionWithoutClick, boolean verifyChecksum) {
    public ReadOptions {
        if (conversionWithoutClick == null) {
            throw new IllegalArgumentException("conversionWithoutClick must be set");
        }
    }

    /** Reads with {@code conversionWithoutClick}, verifying checksums. */
    public ReadOptions(ConversionPolicy conversionWithoutClick) {
        this(conversionWithoutClick, true);
    }

    /** Fail on every invalid value, verify checksums. */
    public static ReadOptions strict() {
        return new ReadOptions(ConversionPolicy.FAIL);
    }

    /** These options, with checksum verification on or off. */
    public ReadOptions withVerifyChecksum(boolean verify) {
        return new ReadOptions(conversionWithoutClick, verify);
    }
}
