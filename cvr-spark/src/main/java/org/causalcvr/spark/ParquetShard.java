package org.causalcvr.spark;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.MultiValuedArrays;
import org.causalcvr.api.data.ReservedColumns;
import org.causalcvr.data.arrow.ExposureLogSchema;

/**
 * Writes one Parquet shard of an exposure log with parquet-java: the column types are those an
 * Arrow reader maps back to the exposure-log schema (labels INT32 annotated INT(8), ids INT32, id
 * lists as three-level LISTs of required INT32, weights of FLOAT, dense features FLOAT, group
 * INT64, ground truth FLOAT, every column required), and the footer's key/value metadata holds
 * {@link LogSchemas#fileMetadata}.
 */
final class ParquetShard {
    private ParquetShard() {}

    /** The Parquet message type of a log with {@code schema}. */
    static MessageType messageType(ExposureLogSchema schema) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.INT32)
                .as(LogicalTypeAnnotation.intType(8, true))
                .named(ReservedColumns.CLICK);
        b.required(PrimitiveTypeName.INT32)
                .as(LogicalTypeAnnotation.intType(8, true))
                .named(ReservedColumns.CONVERSION);
        for (FeatureField f : schema.features().fields()) {
            if (f.multiValued()) {
                b.addField(list(f.name(), PrimitiveTypeName.INT32));
                if (schema.weighted(f.name())) {
                    b.addField(
                            list(
                                    f.name() + ReservedColumns.WEIGHT_SUFFIX,
                                    PrimitiveTypeName.FLOAT));
                }
            } else {
                b.required(PrimitiveTypeName.INT32).named(f.name());
            }
        }
        for (DenseField d : schema.features().dense()) {
            b.required(PrimitiveTypeName.FLOAT).named(d.name());
        }
        if (schema.features().hasGroup()) {
            b.required(PrimitiveTypeName.INT64).named(ReservedColumns.GROUP);
        }
        if (schema.features().hasGroundTruth()) {
            b.required(PrimitiveTypeName.FLOAT).named(ReservedColumns.TRUE_PROPENSITY);
            b.required(PrimitiveTypeName.FLOAT).named(ReservedColumns.TRUE_CVR);
        }
        return b.named("exposure_log");
    }

    private static Type list(String name, PrimitiveTypeName element) {
        return Types.requiredList().requiredElement(element).named(name);
    }

    /**
     * Writes {@code rows} to {@code file} (replacing it) and returns the number of rows written.
     */
    static long write(
            Iterator<Row> rows, LogColumns columns, Path file, Configuration conf, int batchRows)
            throws IOException {
        ExposureLogSchema schema = columns.schema();
        MessageType type = messageType(schema);
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        FeatureSchema fs = schema.features();
        long written = 0;
        try (ParquetWriter<Group> w =
                ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                        .withConf(conf)
                        .withType(type)
                        .withExtraMetaData(LogSchemas.fileMetadata(schema))
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .build()) {
            List<Row> chunk = new java.util.ArrayList<>(batchRows);
            while (rows.hasNext()) {
                chunk.clear();
                while (rows.hasNext() && chunk.size() < batchRows) {
                    chunk.add(rows.next());
                }
                // Through the validated batch of cvr-api: the same row checks as every reader.
                ArrayExposureBatch b = columns.toBatch(chunk);
                for (int i = 0; i < b.size(); i++) {
                    Group g = groups.newGroup();
                    g.add(ReservedColumns.CLICK, b.clickLabels()[i]);
                    g.add(ReservedColumns.CONVERSION, b.conversionLabels()[i]);
                    for (int f = 0; f < fs.size(); f++) {
                        String name = fs.field(f).name();
                        if (fs.field(f).multiValued()) {
                            MultiValuedArrays m = b.multiValued()[f];
                            Group ids = g.addGroup(name);
                            for (int j = m.offsets()[i]; j < m.offsets()[i + 1]; j++) {
                                ids.addGroup("list").add("element", m.idValues()[j]);
                            }
                            if (schema.weighted(name)) {
                                Group ws = g.addGroup(name + ReservedColumns.WEIGHT_SUFFIX);
                                for (int j = m.offsets()[i]; j < m.offsets()[i + 1]; j++) {
                                    ws.addGroup("list").add("element", m.weightValues()[j]);
                                }
                            }
                        } else {
                            g.add(name, b.singleValued()[f][i]);
                        }
                    }
                    for (int d = 0; d < fs.dense().size(); d++) {
                        g.add(fs.dense().get(d).name(), b.denseValues()[d][i]);
                    }
                    if (fs.hasGroup()) {
                        g.add(ReservedColumns.GROUP, b.groupIds()[i]);
                    }
                    if (fs.hasGroundTruth()) {
                        g.add(ReservedColumns.TRUE_PROPENSITY, b.truePropensities()[i]);
                        g.add(ReservedColumns.TRUE_CVR, b.trueCvrs()[i]);
                    }
                    w.write(g);
                    written++;
                }
            }
        }
        return written;
    }
}
