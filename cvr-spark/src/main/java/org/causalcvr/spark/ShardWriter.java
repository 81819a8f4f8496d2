package org.causalcvr.spark;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.causalcvr.api.DataException;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.BatchBuilder;
import org.causalcvr.data.arrow.ExposureWriter;
import org.causalcvr.data.arrow.IpcFormat;

/**
 * Writes an {@link ExposureLogFrame} as a folder of shards, one per non-empty partition, named
 * {@code part-NNNNN} by partition index, so the shards in name order hold the rows in the frame's
 * order.
 *
 * <p>Commit protocol: every task writes its shard under a hidden staging folder beside the target
 * (first to a temporary name, then renamed, so a retried or speculative attempt replaces a partial
 * file with a whole one); when the job has succeeded the driver renames the staging folder to the
 * target. Readers so see either no folder or the whole log. An existing target is refused unless
 * {@code overwrite}, and then replaced only after the new log is complete.
 */
public final class ShardWriter {
    /** Rows per shard batch (Arrow record batch, or rows validated at once for Parquet). */
    public static final int BATCH_ROWS = 8192;

    private ShardWriter() {}

    /** What was written. */
    public record Written(String path, long rows, long shards) {}

    /**
     * Writes {@code log} to the folder {@code out}.
     *
     * @throws DataException if {@code out} exists and {@code overwrite} is false, or a row is bad
     *     (naming the column and row), or a file cannot be written
     */
    public static Written write(
            ExposureLogFrame log, String out, ShardFormat format, boolean overwrite) {
        SparkSession spark = log.rows().sparkSession();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        FileSystem fs;
        try {
            fs = new Path(out).getFileSystem(conf);
        } catch (IOException e) {
            throw new DataException(out + ": cannot access (" + e.getMessage() + ")");
        }
        Path target = AtomicOutput.target(fs, out, overwrite);
        if (format == ShardFormat.ARROW && !"file".equals(target.toUri().getScheme())) {
            throw new DataException(
                    out + ": Arrow shards need a local or mounted path; write parquet instead");
        }
        Path staging = AtomicOutput.staging(target);
        LogColumns columns = new LogColumns(log.schema(), log.rows().schema());
        LongAccumulator rows = spark.sparkContext().longAccumulator("rows written");
        LongAccumulator shards = spark.sparkContext().longAccumulator("shards written");
        Map<String, String> confCopy = new HashMap<>();
        conf.iterator().forEachRemaining(e -> confCopy.put(e.getKey(), e.getValue()));
        String stagingText = staging.toString();
        try {
            fs.mkdirs(staging);
            ForeachPartitionFunction<Row> task =
                    it -> {
                        long n = writeShard(it, columns, format, stagingText, confCopy);
                        if (n > 0) {
                            rows.add(n);
                            shards.add(1);
                        }
                    };
            log.rows().foreachPartition(task);
            commit(fs, staging, target);
        } catch (RuntimeException | IOException e) {
            deleteQuietly(fs, staging);
            throw e instanceof IOException
                    ? new DataException(out + ": cannot write (" + e.getMessage() + ")")
                    : SparkErrors.unwrap(e);
        }
        return new Written(target.toString(), rows.value(), shards.value());
    }

    private static long writeShard(
            Iterator<Row> it,
            LogColumns columns,
            ShardFormat format,
            String staging,
            Map<String, String> confEntries)
            throws IOException {
        if (!it.hasNext()) {
            return 0;
        }
        TaskContext task = TaskContext.get();
        String name = String.format("part-%05d%s", task.partitionId(), format.extension());
        String temp = "." + name + ".attempt-" + task.taskAttemptId();
        Configuration conf = new Configuration(false);
        confEntries.forEach(conf::set);
        Path finalPath = new Path(staging, name);
        Path tempPath = new Path(staging, temp);
        FileSystem fs = finalPath.getFileSystem(conf);
        long n;
        if (format == ShardFormat.PARQUET) {
            n = ParquetShard.write(it, columns, tempPath, conf, BATCH_ROWS);
        } else {
            java.nio.file.Path local = java.nio.file.Path.of(tempPath.toUri());
            try (Allocators memory = Allocators.create();
                    ExposureWriter w =
                            ExposureWriter.create(
                                    local, columns.schema(), memory, IpcFormat.FILE, BATCH_ROWS)) {
                BatchBuilder b = w.builder();
                while (it.hasNext()) {
                    columns.addTo(b, it.next());
                }
                w.commit();
                n = w.rowsWritten();
            }
        }
        // A retried attempt replaces whatever an earlier one left under the final name.
        fs.delete(finalPath, false);
        if (!fs.rename(tempPath, finalPath)) {
            throw new DataException(finalPath + ": cannot rename the finished shard into place");
        }
        return n;
    }

    private static void commit(FileSystem fs, Path staging, Path target) throws IOException {
        for (var st : fs.listStatus(staging)) {
            if (st.getPath().getName().startsWith(".")) {
                fs.delete(st.getPath(), false); // a failed attempt's leftover
            }
        }
        AtomicOutput.publish(fs, staging, target);
    }

    private static void deleteQuietly(FileSystem fs, Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // best effort: a leftover hidden staging folder holds no visible output
        }
    }
}
