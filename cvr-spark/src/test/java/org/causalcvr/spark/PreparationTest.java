package org.causalcvr.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.causalcvr.api.DataException;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ArrowExposureSource;
import org.causalcvr.data.arrow.convert.AliCcpRawConverter;
import org.causalcvr.data.arrow.convert.ConversionReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw Ali-CCP conversion on Spark produces exactly the rows of the single-machine converter.
 * The raw files are rebuilt from the carried sample: its user-side fields become the common
 * features, the rest the sample's own, plus a second history item per sample (so multi-valued lists
 * join common and sample items), a click-0-buy-1 line and a line with an unknown index.
 */
class PreparationTest {
    private static SparkSession spark;
    @TempDir Path dir;

    @BeforeAll
    static void start() {
        spark = TestSpark.start("PreparationTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final List<String> USER_FIELDS =
            List.of("101", "121", "122", "124", "125", "126", "127", "128", "129");
    private static final List<String> HISTORY = List.of("109_14", "110_14", "127_14", "150_14");

    /** Writes sample_skeleton and common_features files rebuilt from a processed CSV. */
    private Path[] rawFrom(Path processed, String name) throws IOException {
        List<String> lines = Files.readAllLines(processed);
        String[] header = lines.get(0).split(",");
        StringBuilder skeleton = new StringBuilder();
        java.util.LinkedHashMap<String, String> commons = new java.util.LinkedHashMap<>();
        for (int r = 1; r < lines.size(); r++) {
            String[] v = lines.get(r).split(",");
            List<String> user = new ArrayList<>();
            List<String> own = new ArrayList<>();
            for (int c = 2; c < 25; c++) {
                String field = header[c];
                if (v[c].equals("0")) {
                    continue; // 0 is the processed file's "missing"
                }
                int dense = List.of(header).indexOf("D" + field);
                String value = dense >= 0 ? v[dense] : "1.0";
                String item = field + '\u0002' + v[c] + '\u0003' + value;
                (USER_FIELDS.contains(field) || HISTORY.contains(field) ? user : own).add(item);
            }
            // a second history item, from the sample: lists hold common then sample items
            own.add("109_14" + '\u0002' + "h" + v[12] + '\u0003' + "0.5");
            String userList = String.join("\u0001", user);
            String index = "cf" + Integer.toHexString(userList.hashCode());
            commons.putIfAbsent(index, index + "," + user.size() + "," + userList);
            skeleton.append(r)
                    .append(',')
                    .append(v[0])
                    .append(',')
                    .append(v[1])
                    .append(',')
                    .append(index)
                    .append(',')
                    .append(own.size())
                    .append(',')
                    .append(String.join("\u0001", own))
                    .append('\n');
        }
        skeleton.append("9001,0,1,")
                .append(commons.keySet().iterator().next())
                .append(",1,205\u00027\u00031.0\n");
        skeleton.append("9002,1,0,cf-unknown,1,205\u00027\u00031.0\n");
        Path sk = Files.writeString(dir.resolve("sample_skeleton_" + name + ".csv"), skeleton);
        Path cf =
                Files.writeString(
                        dir.resolve("common_features_" + name + ".csv"),
                        String.join("\n", commons.values()) + "\n");
        return new Path[] {sk, cf};
    }

    @Test
    void sparkConversionEqualsTheSingleMachineConverterRowForRow() throws IOException {
        Path sample = TestSpark.realData("ali-ccp-sample");
        Path[] train = rawFrom(sample.resolve("ali_ccp_train_sample.csv"), "train");
        Path[] val = rawFrom(sample.resolve("ali_ccp_val_sample.csv"), "val");
        for (var options :
                List.of(
                        AliCcpRawConverter.Options.defaults(2),
                        AliCcpRawConverter.Options.defaults(1)
                                .withEncoding(AliCcpRawConverter.Encoding.hashing(97)))) {
            Path one = Files.createDirectories(dir.resolve("one-" + options.encoding().buckets()));
            List<ConversionReport> reports;
            try (Allocators memory = Allocators.create()) {
                reports =
                        AliCcpRawConverter.convert(
                                List.of(
                                        new AliCcpRawConverter.Split(
                                                train[0], train[1], one.resolve("train.arrow")),
                                        new AliCcpRawConverter.Split(
                                                val[0], val[1], one.resolve("val.arrow"))),
                                options,
                                memory);
            }
            List<AliCcpSpark.Converted> converted =
                    AliCcpSpark.convert(
                            spark,
                            List.of(
                                    new AliCcpSpark.Split(train[0].toString(), train[1].toString()),
                                    new AliCcpSpark.Split(val[0].toString(), val[1].toString())),
                            options);
            for (int s = 0; s < 2; s++) {
                String split = s == 0 ? "train" : "val";
                AliCcpSpark.Converted c = converted.get(s);
                List<String> expected = TestSpark.arrowRows(List.of(one.resolve(split + ".arrow")));
                assertThat(expected).hasSize(s == 0 ? 100 : 50);
                assertThat(c.rowsRead()).isEqualTo(reports.get(s).rowsRead());
                assertThat(c.dropped()).isEqualTo(reports.get(s).dropped());
                try (Allocators memory = Allocators.create()) {
                    assertThat(c.log().schema())
                            .isEqualTo(
                                    ArrowExposureSource.open(one.resolve(split + ".arrow"), memory)
                                            .logSchema());
                }
                // Arrow shards, read by cvr-data-arrow's reader in name order
                Path arrow =
                        dir.resolve(
                                "spark-" + split + "-" + options.encoding().buckets() + "-arrow");
                var written =
                        ShardWriter.write(c.log(), arrow.toString(), ShardFormat.ARROW, false);
                assertThat(written.rows()).isEqualTo(expected.size());
                assertThat(written.shards()).isGreaterThan(1);
                assertThat(TestSpark.arrowRows(shards(arrow, ".arrow"))).isEqualTo(expected);
                // Parquet shards (vocabulary only, to keep the test short): read back as one log
                if (options.encoding().buckets() > 0) {
                    continue;
                }
                Path parquet = dir.resolve("spark-" + split + "-parquet");
                ShardWriter.write(c.log(), parquet.toString(), ShardFormat.PARQUET, false);
                ExposureLogFrame f = ExposureLogs.read(spark, parquet.toString());
                assertThat(f.schema()).isEqualTo(c.log().schema());
                List<Row> rows = f.rows().orderBy(DistributedEvaluation.ROW).collectAsList();
                var batch = new LogColumns(f.schema(), f.rows().schema()).toBatch(rows);
                List<String> fromParquet = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    fromParquet.add(TestSpark.row(batch, i));
                }
                assertThat(fromParquet).isEqualTo(expected);
            }
        }
    }

    @Test
    void aConversionWithoutAClickFailsNamingTheLineWhenAskedTo() throws IOException {
        Path[] train =
                rawFrom(
                        TestSpark.realData("ali-ccp-sample").resolve("ali_ccp_val_sample.csv"),
                        "strict");
        var strict =
                AliCcpRawConverter.Options.defaults(1)
                        .withConversionWithoutClick(org.causalcvr.data.arrow.ConversionPolicy.FAIL);
        assertThatThrownBy(
                        () ->
                                AliCcpSpark.convert(
                                        spark,
                                        List.of(
                                                new AliCcpSpark.Split(
                                                        train[0].toString(), train[1].toString())),
                                        strict))
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll("sample_skeleton_strict.csv", "column 'buy'", "line 51");
    }

    @Test
    void anyDataFrameGetsVocabulariesCountedBySpark() {
        var schema =
                new org.apache.spark.sql.types.StructType()
                        .add("clicked", "int")
                        .add("bought", "string")
                        .add("user", "long")
                        .add("item", "string")
                        .add("tags", "array<int>");
        List<Row> in = new ArrayList<>();
        String[] items = {"b", "a", "b", "c", "a", "b", "d", null};
        for (int i = 0; i < items.length; i++) {
            in.add(
                    org.apache.spark.sql.RowFactory.create(
                            i % 3 == 0 ? 1 : 0,
                            i == 0 ? "1" : (i == 1 ? "1" : "0"), // row 1: conversion without click
                            (long) (100 + i % 2),
                            items[i],
                            new Integer[] {i % 2, 7}));
        }
        var df = spark.createDataFrame(in, schema);
        var spec =
                new DataFramePreparation.Spec(
                        "clicked",
                        "bought",
                        List.of(
                                DataFramePreparation.FeatureColumn.parse("item:item"),
                                DataFramePreparation.FeatureColumn.parse("tags:user")),
                        java.util.Optional.of("user"),
                        2,
                        0,
                        org.causalcvr.data.arrow.ConversionPolicy.DROP_AND_COUNT);
        var prepared = DataFramePreparation.prepare(df, spec);
        assertThat(prepared.conversionsWithoutClickDropped()).isEqualTo(1);
        // kept items b,b,c,a,b,d,null: b (3) -> 1, a (1) and c, d below min count 2 -> 0
        assertThat(prepared.vocabularySizes()).containsExactly(1L, 3L);
        var fs = prepared.log().schema().features();
        assertThat(fs.field(0).cardinality()).isEqualTo(2);
        assertThat(fs.field(1).multiValued()).isTrue();
        List<Row> rows = prepared.log().rows().collectAsList();
        assertThat(rows).hasSize(7);
        var batch =
                new LogColumns(prepared.log().schema(), prepared.log().rows().schema())
                        .toBatch(rows);
        java.util.Map<String, Integer> byItem = new java.util.HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            int src =
                    List.of(0, 2, 3, 4, 5, 6, 7).get(i); // rows do not move, only row 1 is dropped
            byItem.merge(String.valueOf(items[src]), batch.singleValued()[0][i], (x, y) -> x);
        }
        assertThat(byItem).containsEntry("b", 1).containsEntry("a", 0).containsEntry("null", 0);
        // tag 7 is on every row (7 times) -> id 1, tag 0 (4 times) -> 2, tag 1 (3 times) -> 3
        assertThat(batch.multiValued()[1].idValues()).contains(1, 2, 3).doesNotContain(0);
        assertThat(batch.groupIds()).containsOnly(100L, 101L);
    }

    @Test
    void thePrepareCommandRefusesAnExistingOutputAndALogOfMixedSchemas() throws IOException {
        Path[] raw =
                rawFrom(
                        TestSpark.realData("ali-ccp-sample").resolve("ali_ccp_val_sample.csv"),
                        "cli");
        Path vocab = dir.resolve("vocab");
        String[] prepare = {
            "prepare",
            "--skeleton",
            raw[0].toString(),
            "--common",
            raw[1].toString(),
            "--out",
            vocab.toString(),
            "--min-count",
            "2"
        };
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        assertThat(
                        CvrSparkMain.run(
                                spark,
                                prepare,
                                new java.io.PrintWriter(out),
                                new java.io.PrintWriter(err)))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("52 rows read, 50 written");
        List<Path> first = shards(vocab, ".parquet");
        var err2 = new java.io.StringWriter();
        assertThat(
                        CvrSparkMain.run(
                                spark,
                                prepare,
                                new java.io.PrintWriter(out),
                                new java.io.PrintWriter(err2)))
                .isEqualTo(1);
        assertThat(err2.toString().strip())
                .isEqualTo("cvr-spark: " + vocab + ": exists; pass --overwrite to replace it");
        assertThat(shards(vocab, ".parquet")).isEqualTo(first);

        Path hashed = dir.resolve("hashed");
        String[] hashing = {
            "prepare",
            "--skeleton",
            raw[0].toString(),
            "--common",
            raw[1].toString(),
            "--out",
            hashed.toString(),
            "--hash-buckets",
            "97"
        };
        assertThat(
                        CvrSparkMain.run(
                                spark,
                                hashing,
                                new java.io.PrintWriter(out),
                                new java.io.PrintWriter(err)))
                .isZero();
        Path stranger = vocab.resolve("part-99999.parquet");
        Files.copy(shards(hashed, ".parquet").get(0), stranger);
        assertThatThrownBy(() -> ExposureLogs.read(spark, vocab.toString()))
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll(
                        "part-99999.parquet", "schema differs from the other shards");
    }

    static List<Path> shards(Path folder, String extension) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(
                            p ->
                                    p.getFileName().toString().endsWith(extension)
                                            && !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }
}
