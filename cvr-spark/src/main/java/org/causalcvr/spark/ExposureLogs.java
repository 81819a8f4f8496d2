package org.causalcvr.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.BatchCursor;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.MultiValuedColumn;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.ExposureLogSchema;

/**
 * Reads an exposure log into Spark: a folder of Parquet shards (each footer must carry the same
 * exposure-log metadata), a folder of Arrow shards, or one Parquet or Arrow file. Shards are taken
 * in name order; a shard whose schema differs from the first is refused, naming the file.
 */
public final class ExposureLogs {
    private ExposureLogs() {}

    /**
     * The log at {@code path}.
     *
     * @throws DataException naming the file for a missing path, a folder without shards, shards of
     *     mixed formats, or a shard whose schema differs from the first
     */
    public static ExposureLogFrame read(SparkSession spark, String path) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<Path> files = new ArrayList<>();
        try {
            Path given = new Path(path);
            FileSystem fs = given.getFileSystem(conf);
            Path p = fs.makeQualified(given);
            if (!fs.exists(p)) {
                throw new DataException(path + ": no such file or folder");
            }
            if (fs.getFileStatus(p).isDirectory()) {
                FileStatus[] all = fs.listStatus(p);
                Arrays.sort(all, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
                for (FileStatus st : all) {
                    String name = st.getPath().getName();
                    if (st.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
                        files.add(st.getPath());
                    }
                }
            } else {
                files.add(p);
            }
        } catch (IOException e) {
            throw new DataException(path + ": cannot list (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new DataException(path + ": holds no shard");
        }
        boolean parquet = files.get(0).getName().endsWith(".parquet");
        for (Path f : files) {
            if (f.getName().endsWith(".parquet") != parquet) {
                throw new DataException(
                        f
                                + ": mixes Parquet and other files in one log (first shard: "
                                + files.get(0).getName()
                                + ")");
            }
        }
        return parquet ? readParquet(spark, files, conf) : readArrow(spark, files);
    }

    private static ExposureLogFrame readParquet(
            SparkSession spark, List<Path> files, Configuration conf) {
        Map<String, String> first = null;
        java.util.HashMap<String, Long> offsets = new java.util.HashMap<>();
        org.apache.parquet.schema.MessageType firstType = null;
        long total = 0;
        for (Path f : files) {
            Map<String, String> meta;
            try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(f, conf))) {
                meta = r.getFileMetaData().getKeyValueMetaData();
                offsets.put(f.getName(), total);
                org.apache.parquet.schema.MessageType type = r.getFileMetaData().getSchema();
                if (firstType == null) {
                    firstType = type;
                } else if (!type.equals(firstType)) {
                    throw new DataException(
                            f
                                    + ": columns "
                                    + type
                                    + " differ from "
                                    + files.get(0)
                                    + "'s "
                                    + firstType);
                }
                total += r.getRecordCount();
            } catch (IOException | RuntimeException e) {
                throw new DataException(
                        f + ": not a readable Parquet file (" + e.getMessage() + ")");
            }
            if (first == null) {
                first = meta;
            }
            LogSchemas.requireSameFeatures(meta, first, f.toString());
        }
        String[] names = files.stream().map(Path::toString).toArray(String[]::new);
        Dataset<Row> rows = spark.read().parquet(names);
        ExposureLogSchema schema = fromSpark(rows.schema(), first, files.get(0).toString());
        if (!List.of(rows.columns()).contains(DistributedEvaluation.ROW)) {
            // The row's position in the log (shards in name order), which Spark's split order
            // does not keep: drawn evaluation labels depend on it.
            UserDefinedFunction offset =
                    functions.udf((UDF1<String, Long>) offsets::get, DataTypes.LongType);
            rows =
                    rows.withColumn(
                            DistributedEvaluation.ROW,
                            offset.apply(functions.col("_metadata.file_name"))
                                    .plus(functions.col("_metadata.row_index")));
        }
        return new ExposureLogFrame(rows, schema);
    }

    /** The exposure-log schema of Spark columns carrying {@code metadata}. */
    static ExposureLogSchema fromSpark(
            StructType columns, Map<String, String> metadata, String source) {
        List<Field> fields = new ArrayList<>();
        for (StructField f : columns.fields()) {
            fields.add(arrowField(f.name(), f.dataType()));
        }
        return ExposureLogSchema.fromArrow(new Schema(fields, metadata), source);
    }

    private static Field arrowField(String name, DataType t) {
        if (t instanceof ArrayType a) {
            Field item = arrowField("item", a.elementType());
            return new Field(name, FieldType.notNullable(ArrowType.List.INSTANCE), List.of(item));
        }
        ArrowType at;
        if (t.equals(DataTypes.ByteType)) {
            at = new ArrowType.Int(8, true);
        } else if (t.equals(DataTypes.ShortType)) {
            at = new ArrowType.Int(16, true);
        } else if (t.equals(DataTypes.IntegerType)) {
            at = new ArrowType.Int(32, true);
        } else if (t.equals(DataTypes.LongType)) {
            at = new ArrowType.Int(64, true);
        } else if (t.equals(DataTypes.FloatType)) {
            at = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        } else if (t.equals(DataTypes.DoubleType)) {
            at = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        } else {
            at = new ArrowType.Utf8();
        }
        return new Field(name, FieldType.notNullable(at), null);
    }

    private static ExposureLogFrame readArrow(SparkSession spark, List<Path> files) {
        ExposureLogSchema first = null;
        List<String> locals = new ArrayList<>();
        try (Allocators memory = Allocators.create()) {
            for (Path f : files) {
                java.nio.file.Path local = java.nio.file.Path.of(f.toUri());
                ExposureLogSchema s = ArrowExposureSource.open(local, memory).logSchema();
                if (first == null) {
                    first = s;
                } else if (!s.equals(first)) {
                    throw new DataException(
                            f
                                    + ": schema "
                                    + s.features().describe()
                                    + " differs from "
                                    + files.get(0).getName()
                                    + "'s "
                                    + first.features().describe());
                }
                locals.add(local.toString());
            }
        }
        String schemaText = LogSchemas.toText(first);
        JavaRDD<Row> rdd =
                JavaSparkContext.fromSparkContext(spark.sparkContext())
                        .parallelize(locals, locals.size())
                        .flatMap(file -> readArrowFile(file, schemaText));
        Dataset<Row> rows = spark.createDataFrame(rdd, LogSchemas.sparkSchema(first));
        return new ExposureLogFrame(rows, first);
    }

    private static Iterator<Row> readArrowFile(String file, String schemaText) {
        ExposureLogSchema schema = LogSchemas.fromText(schemaText);
        FeatureSchema fs = schema.features();
        List<Row> out = new ArrayList<>();
        try (Allocators memory = Allocators.create()) {
            ArrowExposureSource source =
                    ArrowExposureSource.open(java.nio.file.Path.of(file), memory);
            try (BatchCursor cursor = source.open()) {
                while (cursor.next()) {
                    ExposureBatch b = cursor.batch();
                    for (int i = 0; i < b.size(); i++) {
                        out.add(toRow(b, i, schema, fs));
                    }
                }
            }
        }
        return out.iterator();
    }

    private static Row toRow(ExposureBatch b, int i, ExposureLogSchema schema, FeatureSchema fs) {
        List<Object> v = new ArrayList<>();
        v.add((byte) b.clicks().getInt(i));
        v.add((byte) b.conversions().getInt(i));
        for (int f = 0; f < fs.size(); f++) {
            if (fs.field(f).multiValued()) {
                MultiValuedColumn m = b.multiValuedFeature(f);
                int from = m.start(i);
                int to = m.end(i);
                Integer[] ids = new Integer[to - from];
                for (int j = from; j < to; j++) {
                    ids[j - from] = m.ids().getInt(j);
                }
                v.add(ids);
                if (schema.weighted(fs.field(f).name())) {
                    Float[] w = new Float[to - from];
                    for (int j = from; j < to; j++) {
                        w[j - from] = m.weights().orElseThrow().getFloat(j);
                    }
                    v.add(w);
                }
            } else {
                v.add(b.feature(f).getInt(i));
            }
        }
        for (int d = 0; d < fs.dense().size(); d++) {
            v.add(b.denseFeature(d).getFloat(i));
        }
        if (fs.hasGroup()) {
            v.add(b.groups().orElseThrow().getLong(i));
        }
        if (fs.hasGroundTruth()) {
            v.add(b.truePropensity().orElseThrow().getFloat(i));
            v.add(b.trueCvr().orElseThrow().getFloat(i));
        }
        return RowFactory.create(v.toArray());
    }
}
