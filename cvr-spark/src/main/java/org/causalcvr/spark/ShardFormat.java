package org.causalcvr.spark;

import java.util.Locale;
import org.causalcvr.api.DataException;

/** The file format of the shards of a prepared exposure log. */
public enum ShardFormat {
    /**
     * Parquet shards ({@code part-NNNNN.parquet}, snappy) whose footer key/value metadata holds the
     * exposure-log keys; written by parquet-java, so they work on any Hadoop file system.
     */
    PARQUET(".parquet"),
    /**
     * Arrow IPC files ({@code part-NNNNN.arrow}) written by cvr-data-arrow's own writer: each shard
     * is an exposure log {@code cvr train} reads today. Needs a local or mounted path.
     */
    ARROW(".arrow");

    private final String extension;

    ShardFormat(String extension) {
        this.extension = extension;
    }

    /** The file name extension, with its dot. */
    public String extension() {
        return extension;
    }

    /** The format called {@code text} ({@code parquet} or {@code arrow}). */
    public static ShardFormat parse(String text) {
        for (ShardFormat f : values()) {
            if (f.name().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new DataException("Unknown shard format '" + text + "'; known: parquet, arrow");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
