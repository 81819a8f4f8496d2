package org.causalcvr.data.arrow.convert;

import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.data.arrow.ColumnMapping;
import org.causalcvr.data.arrow.ConversionPolicy;
import org.causalcvr.data.arrow.ExposureLogSchema;
import org.causalcvr.data.arrow.ExposureSources;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;
import org.causalcvr.data.arrow.ReadOptions;

/**
 * Converts a Parquet table without the exposure-log metadata (a file, or a folder of parts as Spark
 * writes it) into an exposure log, Arrow IPC or Parquet by the output's extension, through a {@link
 * ColumnMapping}: the same roles and cardinalities {@link CsvConverter} takes, so that the result
 * carries its schema (and a content checksum) and every command reads it without a mapping. Streams
 * batch by batch; the output is written atomically.
 */
public final class ParquetTableConverter {
    private ParquetTableConverter() {}

    /**
     * Converts {@code input} to {@code output}.
     *
     * @param policy what to do with a conversion without a click (fail, or drop and count)
     */
    public static ConversionReport convert(
            Path input,
            ColumnMapping mapping,
            ConversionPolicy policy,
            Path output,
            BufferAllocator allocator) {
        ExposureSource source =
                ExposureSources.open(input, allocator, new ReadOptions(policy), mapping);
        ExposureLogSchema schema = mapping.schema();
        ConversionReport.Builder report = new ConversionReport.Builder(input.toString());
        long written = 0;
        try (ExposureWriter out =
                ExposureWriter.create(
                        output,
                        schema,
                        allocator,
                        IpcFormat.FILE,
                        ExposureWriter.DEFAULT_BATCH_ROWS)) {
            try (BatchCursor c = source.open()) {
                while (c.next()) {
                    out.write(c.batch());
                    written += c.batch().size();
                }
            }
            long read = source.rowCount().orElse(written);
            report.counts(read, written);
            report.drop("conversion without click", read - written);
            return report.build(out.commit());
        }
    }
}
