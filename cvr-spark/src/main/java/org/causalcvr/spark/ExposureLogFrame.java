package org.causalcvr.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.causalcvr.data.arrow.ExposureLogSchema;

/**
 * An exposure log as a Spark DataFrame: the rows (columns as {@link LogSchemas#sparkSchema}, in row
 * order across partitions) and the schema that says which columns are features.
 *
 * @param rows the log's rows
 * @param schema its exposure-log schema (roles, cardinalities, weights, group and ground truth)
 */
public record ExposureLogFrame(Dataset<Row> rows, ExposureLogSchema schema) {}
