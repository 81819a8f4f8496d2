package org.causalcvr.spark;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.causalcvr.api.DataException;

/**
 * Output folders that appear whole or not at all: written under a hidden staging name beside the
 * target, then renamed into place; an existing target is refused unless overwriting, and then
 * replaced only once the new folder is complete.
 */
public final class AtomicOutput {
    private AtomicOutput() {}

    /** The qualified target, refused with one line if it exists and {@code overwrite} is false. */
    static Path target(FileSystem fs, String out, boolean overwrite) {
        try {
            Path target = fs.makeQualified(new Path(out));
            if (fs.exists(target) && !overwrite) {
                throw new DataException(out + ": exists; pass --overwrite to replace it");
            }
            return target;
        } catch (IOException e) {
            throw new DataException(out + ": cannot access (" + e.getMessage() + ")");
        }
    }

    /** A fresh hidden staging path beside {@code target}. */
    static Path staging(Path target) {
        return new Path(
                target.getParent(), "." + target.getName() + ".staging-" + UUID.randomUUID());
    }

    /** Renames the complete {@code staging} folder to {@code target}, replacing what was there. */
    static void publish(FileSystem fs, Path staging, Path target) throws IOException {
        Path replaced = null;
        if (fs.exists(target)) {
            replaced =
                    new Path(
                            target.getParent(),
                            "." + target.getName() + ".replaced-" + UUID.randomUUID());
            if (!fs.rename(target, replaced)) {
                throw new IOException("cannot move the existing " + target + " aside");
            }
        }
        if (!fs.rename(staging, target)) {
            if (replaced != null) {
                fs.rename(replaced, target);
            }
            throw new IOException("cannot rename " + staging + " to " + target);
        }
        if (replaced != null) {
            fs.delete(replaced, true);
        }
    }

    /**
     * Writes {@code rows} as Parquet to the folder {@code out} with Spark's own writer and output
     * committer (into the staging folder), then publishes it.
     */
    public static void writeParquet(Dataset<Row> rows, String out, boolean overwrite) {
        FileSystem fs;
        Path target;
        try {
            fs =
                    new Path(out)
                            .getFileSystem(
                                    rows.sparkSession().sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new DataException(out + ": cannot access (" + e.getMessage() + ")");
        }
        target = target(fs, out, overwrite);
        Path staging = staging(target);
        try {
            rows.write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
            publish(fs, staging, target);
        } catch (IOException e) {
            delete(fs, staging);
            throw new DataException(out + ": cannot write (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            delete(fs, staging);
            throw SparkErrors.unwrap(e);
        }
    }

    static void delete(FileSystem fs, Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException ignored) {
            // best effort: a leftover hidden staging folder holds no visible output
        }
    }
}
