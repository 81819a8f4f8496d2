package org.causalcvr.data.arrow;

/**
 * How an {@link ArrowExposureSource} reads.
 *
 * @param conversionWithoutClick what to do with a conversion whose click is 0. {@link
 *     ConversionPolicy#FAIL} (the default) stops at the first such row. {@link
 *     ConversionPolicy#DROP_AND_COUNT} copies the few batches that hold such rows without them
 *     (those batches lose the zero-copy path) and counts them in {@link
 *     ArrowBatchCursor#droppedRows()}.
 * @param verification whether to check the content checksum that our writers record (a CRC32C per
 *     block of rows, see {@link ExposureWriter}); files without one are read unchecked. {@link
 *     Verification#AUTO} by default.
 */
public record ReadOptions(ConversionPolicy conversionWithoutClick, Verification verification) {
    public ReadOptions {
        if (conversionWithoutClick == null || verification == null) {
            throw new IllegalArgumentException(
                    "conversionWithoutClick and verification must be set");
        }
    }

    /** Reads with {@code conversionWithoutClick}, verifying as {@link Verification#AUTO}. */
    public ReadOptions(ConversionPolicy conversionWithoutClick) {
        this(conversionWithoutClick, Verification.AUTO);
    }

    /** Fail on every invalid value, verify as {@link Verification#AUTO}. */
    public static ReadOptions strict() {
        return new ReadOptions(ConversionPolicy.FAIL);
    }

    /** These options, with checksum verification on or off for every format. */
    public ReadOptions withVerifyChecksum(boolean verify) {
        return withVerification(verify ? Verification.ON : Verification.OFF);
    }

    /** These options, verifying as {@code v}. */
    public ReadOptions withVerification(Verification v) {
        return new ReadOptions(conversionWithoutClick, v);
    }
}
