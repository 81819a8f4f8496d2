package org.causalcvr.data.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.BatchCursor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gives a one-line DataException naming the file, column and row or batch. */
class BadInputTest {
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

    /** A good file of two 3-row batches. */
    private Path good() {
        Path file = dir.resolve("good.arrow");
        try (ExposureWriter w =
                ExposureWriter.create(file, TestData.schema(), memory.root(), IpcFormat.FILE, 3)) {
            w.write(TestData.batch());
            w.write(TestData.batch());
            w.commit();
        }
        return file;
    }

    /**
     * Writes the exposure schema's columns straight through Arrow (no validation), rows of 4, after
     * {@code edit} changes a value; in two batches so that row numbers are global.
     */
    private Path raw(String name, Schema schema, Consumer<VectorSchemaRoot> edit)
            throws IOException {
        Path file = dir.resolve(name);
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, memory.root());
                FileChannel ch =
                        FileChannel.open(
                                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
            w.start();
            for (int b = 0; b < 2; b++) {
                fill(root, 4);
                if (b == 1) {
                    edit.accept(root);
                }
                w.writeBatch();
            }
            w.end();
        }
        return file;
    }

    private static void fill(VectorSchemaRoot root, int rows) {
        root.allocateNew();
        for (FieldVector v : root.getFieldVectors()) {
            for (int r = 0; r < rows; r++) {
                if (v instanceof TinyIntVector t) {
                    t.set(r, 0);
                } else if (v instanceof IntVector i) {
                    i.set(r, v.getName().equals("click") ? 0 : r);
                } else if (v instanceof BigIntVector l) {
                    l.set(r, r);
                } else if (v instanceof Float4Vector f) {
                    f.set(r, 0.5f);
                } else if (v instanceof ListVector list) {
                    list.startNewValue(r);
                    if (list.getDataVector() instanceof IntVector ids) {
                        ids.setSafe(r, 1);
                    } else {
                        ((Float4Vector) list.getDataVector()).setSafe(r, 1f);
                    }
                    list.endValue(r, 1);
                }
            }
            v.setValueCount(rows);
        }
        root.setRowCount(rows);
    }

    private static Schema schemaWith(String name, Field replacement, Map<String, String> meta) {
        Schema s = TestData.schema().toArrow();
        List<Field> fields = new ArrayList<>();
        for (Field f : s.getFields()) {
            if (!f.getName().equals(name)) {
                fields.add(f);
            } else if (replacement != null) {
                fields.add(replacement);
            }
        }
        Map<String, String> m = new HashMap<>(s.getCustomMetadata());
        m.putAll(meta);
        return new Schema(fields, m);
    }

    private void assertReadFails(Path file, String... parts) {
        assertThatThrownBy(
                        () -> {
                            ArrowExposureSource src = ArrowExposureSource.open(file, memory);
                            try (BatchCursor c = src.open()) {
                                while (c.next()) {
                                    c.batch();
                                }
                            }
                        })
                .isInstanceOf(DataException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContainingAll(parts)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void labelOutsideZeroOne() throws IOException {
        Path f =
                raw(
                        "label.arrow",
                        TestData.schema().toArrow(),
                        r -> ((TinyIntVector) r.getVector("click")).set(2, 3));
        assertReadFails(f, "column 'click'", "row 6", "batch 1", "label 3");
    }

    @Test
    void int32LabelsAreReadAndChecked() throws IOException {
        Field int32 = new Field("click", FieldType.notNullable(new ArrowType.Int(32, true)), null);
        Schema schema = schemaWith("click", int32, Map.of());
        Path ok = raw("int32.arrow", schema, r -> ((IntVector) r.getVector("click")).set(0, 1));
        var all = TestBatches.readAll(ArrowExposureSource.file(ok, memory));
        assertThat(all.clickLabels()).containsExactly(0, 0, 0, 0, 1, 0, 0, 0);
        Path bad =
                raw("int32-bad.arrow", schema, r -> ((IntVector) r.getVector("click")).set(3, 300));
        assertReadFails(bad, "column 'click'", "row 7", "label 300");
    }

    @Test
    void conversionWithoutClickFailsOrIsDroppedAndCounted() throws IOException {
        Path f =
                raw(
                        "orphan.arrow",
                        TestData.schema().toArrow(),
                        r -> ((TinyIntVector) r.getVector("conversion")).set(1, 1));
        assertReadFails(f, "column 'conversion'", "row 5", "without a click");
        var src =
                ArrowExposureSource.file(
                        f, memory.root(), new ReadOptions(ConversionPolicy.DROP_AND_COUNT));
        long rows = 0;
        try (ArrowBatchCursor c = src.open()) {
            while (c.next()) {
                rows += c.batch().size();
            }
            assertThat(c.droppedRows()).isEqualTo(1);
            assertThat(c.rowsRead()).isEqualTo(8);
        }
        assertThat(rows).isEqualTo(7);
    }

    @Test
    void nanGroundTruth() throws IOException {
        Path f =
                raw(
                        "nan.arrow",
                        TestData.schema().toArrow(),
                        r -> ((Float4Vector) r.getVector("true_cvr")).set(3, Float.NaN));
        assertReadFails(f, "column 'true_cvr'", "row 7", "NaN");
        Path g =
                raw(
                        "zero.arrow",
                        TestData.schema().toArrow(),
                        r -> ((Float4Vector) r.getVector("true_propensity")).set(0, 0f));
        assertReadFails(g, "column 'true_propensity'", "row 4", "outside (0, 1]");
    }

    @Test
    void idBeyondDeclaredCardinality() throws IOException {
        Path f =
                raw(
                        "id.arrow",
                        TestData.schema().toArrow(),
                        r -> ((IntVector) r.getVector("item")).set(1, 20));
        assertReadFails(f, "column 'item'", "row 5", "id 20", "[0, 20)");
        Path g =
                raw(
                        "list.arrow",
                        TestData.schema().toArrow(),
                        r ->
                                ((IntVector) ((ListVector) r.getVector("hist")).getDataVector())
                                        .set(2, -1));
        assertReadFails(g, "column 'hist'", "row 6", "id -1");
    }

    @Test
    void missingAndMistypedColumns() throws IOException {
        Path missing = raw("missing.arrow", schemaWith("item", null, Map.of()), r -> {});
        assertReadFails(missing, "column 'item'", "missing");
        Path noLabel = raw("nolabel.arrow", schemaWith("conversion", null, Map.of()), r -> {});
        assertReadFails(noLabel, "column 'conversion'", "missing");
        Field asLong = new Field("item", FieldType.notNullable(new ArrowType.Int(64, true)), null);
        Path mistyped = raw("mistyped.arrow", schemaWith("item", asLong, Map.of()), r -> {});
        assertReadFails(mistyped, "column 'item'", "expected Int32");
    }

    @Test
    void aLabelListedAsAFeatureIsRefused() throws IOException {
        String spec =
                TestData.schema().toArrow().getCustomMetadata().get(ExposureLogSchema.FEATURES_KEY);
        Path f =
                raw(
                        "leak.arrow",
                        schemaWith(
                                "x",
                                null,
                                Map.of(
                                        ExposureLogSchema.FEATURES_KEY,
                                        "conversion:user:2," + spec)),
                        r -> {});
        assertReadFails(f, "column 'conversion'", "can never be a feature");
        Path g =
                raw(
                        "nometa.arrow",
                        schemaWith("x", null, Map.of(ExposureLogSchema.FEATURES_KEY, "")),
                        r -> {});
        assertReadFails(g, "lists no feature");
    }

    @Test
    void truncatedAndCorruptFiles() throws IOException {
        Path good = good();
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.arrow");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 40));
        assertReadFails(cut, "truncated or corrupt");
        Path half = dir.resolve("half.arrow");
        Files.write(half, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertReadFails(half, "truncated or corrupt");
        Path corrupt = dir.resolve("corrupt.arrow");
        byte[] bad = bytes.clone();
        // the footer length, just before the trailing magic
        for (int i = bad.length - 10; i < bad.length - 6; i++) {
            bad[i] = (byte) 0x7F;
        }
        Files.write(corrupt, bad);
        assertReadFails(corrupt, "truncated or corrupt");

        long blockOffset;
        try (var ch = FileChannel.open(good);
                var reader = new org.apache.arrow.vector.ipc.ArrowFileReader(ch, memory.root())) {
            blockOffset = reader.getRecordBlocks().get(1).getOffset();
        }
        byte[] badBlock = bytes.clone();
        for (int i = 8; i < 40; i++) {
            badBlock[(int) blockOffset + i] = (byte) 0xEE;
        }
        Path corruptBatch = dir.resolve("corrupt-batch.arrow");
        Files.write(corruptBatch, badBlock);
        assertReadFails(corruptBatch, "batch 1", "corrupt");

        Path stream = dir.resolve("good.arrows");
        try (ExposureWriter w =
                ExposureWriter.create(
                        stream, TestData.schema(), memory.root(), IpcFormat.STREAM, 3)) {
            w.write(TestData.batch());
            w.commit();
        }
        byte[] sb = Files.readAllBytes(stream);
        Path streamCut = dir.resolve("cut.arrows");
        Files.write(streamCut, java.util.Arrays.copyOf(sb, sb.length - 8));
        assertReadFails(streamCut, "truncated");
        Path streamMid = dir.resolve("mid.arrows");
        Files.write(streamMid, java.util.Arrays.copyOf(sb, sb.length - 30));
        assertReadFails(streamMid, "truncated");
    }

    @Test
    void emptyMissingAndUnreadableInputs() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.arrow"));
        assertReadFails(empty, "empty file");
        assertReadFails(dir.resolve("nope.arrow"), "no such file");
        Path folder = Files.createDirectory(dir.resolve("folder.arrow"));
        assertReadFails(folder, "directory");
        Path text = Files.writeString(dir.resolve("text.arrow"), "click,conversion\n1,0\n");
        assertReadFails(text, "not a readable Arrow IPC");
    }

    @Test
    void writerRefusesBadRowsAndLeavesNoFile() throws IOException {
        Path target = good();
        byte[] before = Files.readAllBytes(target);
        var bad = TestData.batch();
        bad.singleValued()[1][2] = 25; // beyond item cardinality 20
        assertThatThrownBy(
                        () -> {
                            try (ExposureWriter w =
                                    ExposureWriter.create(
                                            target,
                                            TestData.schema(),
                                            memory.root(),
                                            IpcFormat.FILE,
                                            3)) {
                                w.write(bad);
                                w.commit();
                            }
                        })
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll(target.toString(), "column 'item'", "row 2", "id 25");
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("good.arrow");
        }
        Path none = dir.resolve("none.arrow");
        assertThatThrownBy(
                        () -> {
                            try (ExposureWriter w =
                                    ExposureWriter.create(none, TestData.schema(), memory)) {
                                w.commit();
                            }
                        })
                .isInstanceOf(DataException.class)
                .hasMessageContaining("no rows");
        assertThat(none).doesNotExist();
    }

    @Test
    void aLeakedCursorFailsTheAllocatorClose() {
        Path file = good();
        Allocators local = Allocators.create();
        BatchCursor c = ArrowExposureSource.file(file, local).open();
        c.next();
        assertThatThrownBy(local::close)
                .isInstanceOf(DataException.class)
                .hasMessageContaining("leak");
        // the root is closed now; the cursor's own close can only complain about that
        assertThatThrownBy(c::close).isInstanceOf(IllegalStateException.class);
    }
}
