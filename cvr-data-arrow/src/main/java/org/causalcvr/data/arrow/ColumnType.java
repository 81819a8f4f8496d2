package org.causalcvr.data.arrow;

/**
 * The value type of a column as an engine outside this module (Spark, a table catalogue) declares
 * it, in the terms the exposure-log schema checks: signed integers and floating-point numbers by
 * width, and {@link #OTHER} for anything else (text, dates, structs), which no log column accepts.
 */
public enum ColumnType {
    /** 8-bit signed integer (labels). */
    INT8,
    /** 16-bit signed integer. */
    INT16,
    /** 32-bit signed integer (labels, feature ids). */
    INT32,
    /** 64-bit signed integer (groups). */
    INT64,
    /** 32-bit float (weights, ground truth, dense features). */
    FLOAT32,
    /** 64-bit float. */
    FLOAT64,
    /** Any other type; refused wherever a log column is expected. */
    OTHER
}
