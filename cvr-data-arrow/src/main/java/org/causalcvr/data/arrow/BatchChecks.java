package org.causalcvr.data.arrow;

import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ExposureBatch;

/**
 * What every cursor does with a freshly loaded batch before handing it out: verify the content
 * checksum (when the file has one and the options ask for it), validate every value, and drop the
 * rows the {@link ConversionPolicy} drops. Shared by the Arrow IPC and Parquet cursors so both
 * report bad data with the same one-line messages.
 */
final class BatchChecks {
    private final String source;
    private final BatchValidator validator;
    private final ContentChecksum checksum;
    private long rowsRead;
    private long droppedRows;

    /**
     * @param checksumValue the file's {@value ContentChecksum#KEY} metadata, or null for none
     * @param parquet whether the file is Parquet (see {@link Verification#AUTO})
     */
    BatchChecks(String source, ReadOptions options, String checksumValue, boolean parquet) {
        this.source = source;
        this.validator = new BatchValidator(source, options.conversionWithoutClick());
        this.checksum =
                options.verification().verifies(parquet) && checksumValue != null
                        ? ContentChecksum.checking(checksumValue, source)
                        : null;
    }

    /**
     * Checks rows {@code [0, rows)} of batch {@code batchIndex} (rows &gt; 0).
     *
     * @return the batch to hand out (a view, or a copy without dropped rows), or null when every
     *     row was dropped
     * @throws DataException naming the source, batch and row of the first problem
     */
    ExposureBatch accept(ExposureVectors vectors, int rows, int batchIndex, String format) {
        boolean[] drop;
        try {
            if (checksum != null) {
                checksum.update(vectors, rows, batchIndex);
            }
            drop = validator.validate(vectors, rows, rowsRead, batchIndex);
        } catch (DataException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new DataException(
                    source
                            + ", batch "
                            + batchIndex
                            + ": corrupt "
                            + format
                            + " data ("
                            + Allocators.oneLine(e.toString())
                            + ")",
                    e);
        }
        rowsRead += rows;
        ExposureBatch view = new ArrowExposureBatch(vectors, rows);
        if (drop == null) {
            return view;
        }
        int dropped = 0;
        for (boolean d : drop) {
            dropped += d ? 1 : 0;
        }
        droppedRows += dropped;
        return dropped < rows ? ExposureBatches.copyWithout(view, drop) : null;
    }

    /** Called when the data ends: checks that no checksum block is missing. */
    void end() {
        if (checksum != null) {
            checksum.finish();
        }
    }

    long rowsRead() {
        return rowsRead;
    }

    long droppedRows() {
        return droppedRows;
    }
}
