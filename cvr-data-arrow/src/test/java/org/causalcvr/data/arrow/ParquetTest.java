package org.causalcvr.data.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet files and folders read as the same exposure log as the Arrow IPC file they came from. */
class ParquetTest {
    @TempDir Path dir;
    Allocators memory;

    @BeforeEach
    void start() {
        memory = Allocators.create();
    }

    @AfterEach
    void leakCheck() {
        memory.close();
    }

    private Path write(String name, int copies, int batchRows) {
        Path file = dir.resolve(name);
        try (ExposureWriter w =
                ExposureWriter.create(
                        file, TestData.schema(), memory.root(), IpcFormat.FILE, batchRows)) {
            for (int i = 0; i < copies; i++) {
                w.write(TestData.batch());
            }
            w.commit();
        }
        return file;
    }

    /**
     * A writer replaces an exposure log it wrote, in any of its formats, and refuses anything else
     * at the path before writing a row: the user's file is left byte for byte.
     */
    @Test
    void aWriterReplacesOnlyAnExposureLogItWrote() throws IOException {
        for (String name : new String[] {"ours.arrow", "ours.parquet"}) {
            write(name, 1, 3);
            write(name, 2, 3); // replaced: ours
            try (var cursor = ExposureSources.open(dir.resolve(name), memory).open()) {
                long rows = 0;
                while (cursor.next()) {
                    rows += cursor.batch().size();
                }
                assertThat(rows).isEqualTo(2L * TestData.batch().size());
            }
        }
        for (String name : new String[] {"notes.arrow", "notes.parquet"}) {
            Path mine = Files.writeString(dir.resolve(name), "my notes, not an exposure log\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> write(name, 1, 3))
                    .hasMessageStartingWith(
                            mine + " exists and it is not in a format causal-cvr writes")
                    .hasMessageContaining("not a causal-cvr exposure log to replace");
            assertThat(Files.readString(mine)).isEqualTo("my notes, not an exposure log\n");
        }
        // An Arrow file of someone else's, without our metadata, is not ours either.
        byte[] ours = Files.readAllBytes(dir.resolve("ours.arrow"));
        String text = new String(ours, java.nio.charset.StandardCharsets.ISO_8859_1);
        Path foreign =
                Files.write(
                        dir.resolve("foreign.arrow"),
                        text.replace("causalcvr.format", "someone.elses..")
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> write("foreign.arrow", 1, 3))
                .hasMessageContaining("it has no causalcvr.format metadata");
        assertThat(foreign).isRegularFile();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void parquetWrittenFromTheSameRowsReadsBackEqualToTheArrowFile() throws IOException {
        Path arrow = write("log.arrow", 5, 3);
        Path parquet = write("log.parquet", 5, 3);
        assertThat(ParquetFiles.hasParquetMagic(parquet)).isTrue();
        ExposureSource source = ExposureSources.open(parquet, memory);
        assertThat(source).isInstanceOf(ParquetExposureSource.class);
        assertThat(((ParquetExposureSource) source).logSchema()).isEqualTo(TestData.schema());
        assertThat(source.rowCount()).hasValue(20);
        ArrayExposureBatch fromArrow = TestBatches.readAll(ExposureSources.open(arrow, memory));
        ArrayExposureBatch fromParquet = TestBatches.readAll(source);
        assertThat(fromParquet).usingRecursiveComparison().isEqualTo(fromArrow);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("log.arrow", "log.parquet");
        }
    }

    @Test
    void aSparkStyleFolderOfMixedFilesReadsAsOneLogInNameOrder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("log"));
        Path a = write("log/part-00000.parquet", 2, 3);
        write("log/part-00001.arrow", 1, 4);
        write("log/part-00002.parquet", 3, 5);
        Files.writeString(folder.resolve("_SUCCESS"), "");
        Files.write(folder.resolve(".part-00000.parquet.crc"), new byte[] {1, 2, 3});
        Files.copy(a, folder.resolve(".hidden-part.parquet"));
        ExposureSource source = ExposureSources.open(folder, memory);
        assertThat(source.rowCount()).hasValue(24);
        var expected = new java.util.ArrayList<ArrayExposureBatch>();
        for (int i = 0; i < 6; i++) {
            expected.add(TestData.batch());
        }
        assertThat(TestBatches.readAll(source))
                .usingRecursiveComparison()
                .isEqualTo(TestBatches.concat(expected));
    }

    @Test
    void aSnappyFolderWrittenLikeSparkReadsRowByRow() throws Exception {
        Path folder = Path.of(getClass().getResource("/spark-snappy").toURI());
        ExposureSource source = ExposureSources.open(folder, memory);
        assertThat(source.rowCount()).hasValue(3000);
        assertThat(source.schema().describe()).contains("user").contains("item");
        ArrayExposureBatch rows = TestBatches.readAll(source);
        assertThat(rows.size()).isEqualTo(3000);
        for (int r = 0; r < 3000; r++) {
            assertThat(rows.clickLabels()[r]).as("row %d", r).isEqualTo(r % 2 == 0 ? 1 : 0);
            assertThat(rows.conversionLabels()[r]).as("row %d", r).isEqualTo(r % 4 == 0 ? 1 : 0);
            assertThat(rows.singleValued()[0][r]).as("row %d", r).isEqualTo(r % 10);
            assertThat(rows.singleValued()[1][r]).as("row %d", r).isEqualTo(r % 7);
        }
    }

    @Test
    void aFolderWhoseFilesDisagreeOnTheSchemaIsRefusedNamingTheFile() throws IOException {
        Files.createDirectory(dir.resolve("log"));
        write("log/part-00000.parquet", 1, 3);
        Path other = dir.resolve("log/part-00001.parquet");
        ExposureLogSchema narrower =
                new ExposureLogSchema(
                        new org.causalcvr.api.data.FeatureSchema(
                                java.util.List.of(
                                        org.causalcvr.api.data.FeatureField.single(
                                                "user", org.causalcvr.api.data.FieldRole.USER, 10)),
                                false,
                                false),
                        java.util.Set.of());
        try (ExposureWriter w = ExposureWriter.create(other, narrower, memory)) {
            w.builder().addRow(1, 0);
            w.builder().setId(0, 0, 3);
            w.commit();
        }
        assertOneLineError(
                () -> ExposureSources.open(dir.resolve("log"), memory),
                "part-00001.parquet",
                "schema differs from the folder's first file part-00000.parquet");
    }

    @Test
    void badParquetFilesGetOneLineErrorsNamingTheFile() throws IOException {
        Path good = write("good.parquet", 4, 3);
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = dir.resolve("truncated.parquet");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLineError(
                () -> ExposureSources.open(truncated, memory), "truncated.parquet", "truncated");

        Path cut = dir.resolve("cut-footer.parquet");
        byte[] noFooter = java.util.Arrays.copyOf(bytes, bytes.length);
        noFooter[bytes.length - 5] = 0x7f; // footer length now points before the file
        Files.write(cut, noFooter);
        assertOneLineError(() -> ExposureSources.open(cut, memory), "cut-footer.parquet");

        Path text = dir.resolve("text.parquet");
        Files.writeString(text, "click,conversion\n1,0\n");
        assertOneLineError(
                () -> ExposureSources.open(text, memory), "text.parquet", "not a readable Parquet");

        Path empty = dir.resolve("empty.parquet");
        Files.write(empty, new byte[0]);
        assertOneLineError(() -> ExposureSources.open(empty, memory), "empty.parquet");
    }

    @Test
    void parquetWithWrongTypesOrMissingColumnsIsRefusedNamingTheColumn() throws IOException {
        var meta = TestData.schema().toArrow().getCustomMetadata();
        // 'item' stored as 64-bit integers
        var wrong = new java.util.ArrayList<org.apache.arrow.vector.types.pojo.Field>();
        for (var f : TestData.schema().toArrow().getFields()) {
            wrong.add(
                    f.getName().equals("item")
                            ? org.apache.arrow.vector.types.pojo.Field.notNullable(
                                    "item",
                                    new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true))
                            : f);
        }
        Path wrongType = foreignParquet("wrong-type.parquet", wrong, meta);
        assertOneLineError(
                () -> ExposureSources.open(wrongType, memory), "wrong-type.parquet", "'item'");
        var missing = new java.util.ArrayList<org.apache.arrow.vector.types.pojo.Field>();
        for (var f : TestData.schema().toArrow().getFields()) {
            if (!f.getName().equals("item")) {
                missing.add(f);
            }
        }
        Path noItem = foreignParquet("missing.parquet", missing, meta);
        assertOneLineError(
                () -> ExposureSources.open(noItem, memory), "missing.parquet", "'item'", "missing");
        Path noMeta =
                foreignParquet(
                        "no-metadata.parquet",
                        TestData.schema().toArrow().getFields(),
                        java.util.Map.of());
        assertOneLineError(
                () -> ExposureSources.open(noMeta, memory),
                "no-metadata.parquet",
                ExposureLogSchema.FEATURES_KEY);
    }

    @Test
    void aParquetTableWithoutMetadataReadsThroughAColumnMapping() throws IOException {
        // a table as Spark writes it: its own column names, nullable columns, an extra column
        Path arrow = dir.resolve("table.arrow");
        var int32 = new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true);
        var int64 = new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true);
        var schema =
                new org.apache.arrow.vector.types.pojo.Schema(
                        java.util.List.of(
                                org.apache.arrow.vector.types.pojo.Field.nullable("uid", int32),
                                org.apache.arrow.vector.types.pojo.Field.nullable("clk", int32),
                                org.apache.arrow.vector.types.pojo.Field.nullable("ts", int64),
                                org.apache.arrow.vector.types.pojo.Field.nullable("buy", int32)));
        try (var root = org.apache.arrow.vector.VectorSchemaRoot.create(schema, memory.root());
                var ch =
                        java.nio.channels.FileChannel.open(
                                arrow,
                                java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.WRITE);
                var w = new org.apache.arrow.vector.ipc.ArrowFileWriter(root, null, ch)) {
            root.allocateNew();
            int[][] cols = {{4, 0, 2}, {1, 0, 1}, null, {1, 0, 0}};
            for (int c = 0; c < 4; c++) {
                for (int r = 0; r < 3; r++) {
                    if (c == 2) {
                        ((org.apache.arrow.vector.BigIntVector) root.getVector(c))
                                .setSafe(r, 1_700_000_000_000L + r);
                    } else {
                        ((org.apache.arrow.vector.IntVector) root.getVector(c))
                                .setSafe(r, cols[c][r]);
                    }
                }
                root.getVector(c).setValueCount(3);
            }
            root.setRowCount(3);
            w.start();
            w.writeBatch();
            w.end();
        }
        Path folder = Files.createDirectory(dir.resolve("table"));
        ParquetFiles.fromArrow(
                arrow, folder.resolve("part-00000.parquet"), memory.root(), java.util.Map.of());
        Files.writeString(folder.resolve("_SUCCESS"), "");

        assertOneLineError(
                () -> ExposureSources.open(folder, memory), "part-00000.parquet", "metadata");
        ColumnMapping mapping =
                ColumnMapping.of(
                        "clk",
                        "buy",
                        java.util.List.of(
                                new ColumnMapping.Column(
                                        "uid",
                                        "user",
                                        org.causalcvr.api.data.FieldRole.USER,
                                        5,
                                        false)));
        ExposureSource source =
                ExposureSources.open(folder, memory.root(), ReadOptions.strict(), mapping);
        assertThat(source.schema()).isEqualTo(mapping.schema().features());
        ArrayExposureBatch rows = TestBatches.readAll(source);
        assertThat(rows.clickLabels()).containsExactly(1, 0, 1);
        assertThat(rows.conversionLabels()).containsExactly(1, 0, 0);
        assertThat(rows.singleValued()[0]).containsExactly(4, 0, 2);

        ColumnMapping tooFewUsers =
                ColumnMapping.of(
                        "clk",
                        "buy",
                        java.util.List.of(
                                ColumnMapping.Column.single(
                                        "uid", org.causalcvr.api.data.FieldRole.USER, 3)));
        assertOneLineError(
                () ->
                        TestBatches.readAll(
                                ExposureSources.open(
                                        folder, memory.root(), ReadOptions.strict(), tooFewUsers)),
                "part-00000.parquet",
                "'uid'",
                "row 0");
        ColumnMapping wrongName =
                ColumnMapping.of(
                        "click",
                        "buy",
                        java.util.List.of(
                                ColumnMapping.Column.single(
                                        "uid", org.causalcvr.api.data.FieldRole.USER, 5)));
        assertOneLineError(
                () -> ExposureSources.open(folder, memory.root(), ReadOptions.strict(), wrongName),
                "part-00000.parquet",
                "column 'click': missing");
    }

    /** A Parquet file of one all-zero row with the given columns and key/value metadata. */
    private Path foreignParquet(
            String name,
            java.util.List<org.apache.arrow.vector.types.pojo.Field> fields,
            java.util.Map<String, String> meta)
            throws IOException {
        Path arrow = dir.resolve(name + ".arrow");
        var schema = new org.apache.arrow.vector.types.pojo.Schema(fields);
        try (var root = org.apache.arrow.vector.VectorSchemaRoot.create(schema, memory.root());
                var ch =
                        java.nio.channels.FileChannel.open(
                                arrow,
                                java.nio.file.StandardOpenOption.CREATE,
                                java.nio.file.StandardOpenOption.WRITE);
                var w = new org.apache.arrow.vector.ipc.ArrowFileWriter(root, null, ch)) {
            root.allocateNew();
            for (var v : root.getFieldVectors()) {
                if (v instanceof org.apache.arrow.vector.complex.ListVector l) {
                    l.startNewValue(0);
                    l.endValue(0, 0);
                } else {
                    ((org.apache.arrow.vector.BaseFixedWidthVector) v).setIndexDefined(0);
                }
                v.setValueCount(1);
            }
            root.setRowCount(1);
            w.start();
            w.writeBatch();
            w.end();
        }
        Path out = dir.resolve(name);
        ParquetFiles.fromArrow(arrow, out, memory.root(), meta);
        return out;
    }

    @Test
    void aBitFlippedInALabelOfAnArrowFileWeWroteFailsNamingTheFileAndBatch() throws IOException {
        Path file = write("log.arrow", 2, 4);
        byte[] bytes = Files.readAllBytes(file);
        // batch 1 holds rows 4-7 = the batch's rows again: clicks 1 0 1 0 (padded to 8 bytes)
        byte[] clicks = {1, 0, 1, 0, 0, 0, 0, 0};
        int at = indexOf(bytes, clicks, indexOf(bytes, clicks, 0) + 1);
        assertThat(at).isPositive();
        bytes[at + 1] ^= 1; // row 5: no click becomes a click, still a valid log
        Path flipped = dir.resolve("flipped.arrow");
        Files.write(flipped, bytes);
        ReadOptions verify = ReadOptions.strict().withVerifyChecksum(true);
        assertOneLineError(
                () -> TestBatches.readAll(ExposureSources.open(flipped, memory.root(), verify)),
                "flipped.arrow, batch 1 (rows 4-7): content checksum mismatch");
        // unverified (the default for Arrow IPC, see Verification.AUTO) the flip reads silently
        var unchecked = TestBatches.readAll(ExposureSources.open(flipped, memory));
        assertThat(unchecked.clickLabels()[5]).isEqualTo(1);
    }

    @Test
    void noBitFlippedInTheLabelPagesOfAParquetFileWeWroteGoesUnnoticed() throws IOException {
        Path file = write("log.parquet", 2, 4);
        ArrayExposureBatch original = TestBatches.readAll(ExposureSources.open(file, memory));
        var footer = ParquetFiles.readFooter(file);
        var click = footer.getRow_groups().get(0).getColumns().get(0).getMeta_data();
        assertThat(click.getPath_in_schema()).containsExactly("click");
        long start =
                click.isSetDictionary_page_offset()
                        ? click.getDictionary_page_offset()
                        : click.getData_page_offset();
        byte[] bytes = Files.readAllBytes(file);
        Path flipped = dir.resolve("flipped.parquet");
        int caughtByChecksum = 0;
        for (long at = start; at < start + click.getTotal_compressed_size(); at++) {
            byte[] copy = bytes.clone();
            copy[(int) at] ^= 1;
            Files.write(flipped, copy);
            try {
                ArrayExposureBatch read =
                        TestBatches.readAll(ExposureSources.open(flipped, memory));
                // a flip in bytes that carry no value (padding, statistics) changes nothing
                assertThat(read).as("flip at " + at).usingRecursiveComparison().isEqualTo(original);
            } catch (org.causalcvr.api.DataException e) {
                assertThat(e.getMessage()).contains("flipped.parquet").doesNotContain("\n");
                caughtByChecksum += e.getMessage().contains("content checksum mismatch") ? 1 : 0;
            }
        }
        assertThat(caughtByChecksum).isPositive();
    }

    @Test
    void theChecksumSurvivesConversionFromArrowToParquet() {
        Path arrow = write("log.arrow", 3, 2);
        Path parquet = dir.resolve("copy.parquet");
        try (ExposureWriter w =
                ExposureWriter.create(
                        parquet, TestData.schema(), memory.root(), IpcFormat.FILE, 2)) {
            try (var c = ExposureSources.open(arrow, memory).open()) {
                while (c.next()) {
                    w.write(c.batch());
                }
            }
            w.commit();
        }
        String inArrow = ArrowExposureSource.file(arrow, memory).checksum();
        String inParquet = ParquetExposureSource.file(parquet, memory).checksum();
        assertThat(inArrow).startsWith("crc32c:2:").isEqualTo(inParquet);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static void assertOneLineError(Runnable action, String... fragments) {
        org.assertj.core.api.Assertions.assertThatThrownBy(action::run)
                .isInstanceOf(org.causalcvr.api.DataException.class)
                .satisfies(
                        e -> {
                            assertThat(e.getMessage()).doesNotContain("\n");
                            for (String f : fragments) {
                                assertThat(e.getMessage()).contains(f);
                            }
                        });
    }
}
