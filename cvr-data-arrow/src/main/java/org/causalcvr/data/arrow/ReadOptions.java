package org.causalcvr.data.arrow;

/**
 * How an {@link ArrowExposureSource} reads.
 *
 * @param conversionWithoutClick what to do with a conversion whose click is 0. {@link
 *     ConversionPolicy#FAIL} (the default) stops at the first such row. {@link
 *     ConversionPolicy#DROP_AND_COUNT} copies the few batches that hold such rows without them
 *     (those batches lose the zero-copy path) and counts them in {@link
 *     ArrowBatchCursor#droppedRows()}.
 */
public record ReadOptions(ConversionPolicy conversionWithoutClick) {
    public ReadOptions {
        if (conversionWithoutClick == null) {
            throw new IllegalArgumentException("conversionWithoutClick must be set");
        }
    }

    /** Fail on every invalid value. */
    public static ReadOptions strict() {
        return new ReadOptions(ConversionPolicy.FAIL);
    }
}
