package org.causalcvr.data.arrow.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.ExposureSources;
import org.causalcvr.data.arrow.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV input as spreadsheets and other tools write it. */
class CsvInputTest {
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

    private static final CsvMapping MAPPING =
            CsvMapping.of(
                    "clk",
                    "buy",
                    List.of(
                            CsvMapping.Feature.single("u", FieldRole.USER, 3),
                            CsvMapping.Feature.single("i", FieldRole.ITEM, 3)));

    @Test
    void aByteOrderMarkBeforeTheHeaderIsSkipped() throws IOException {
        Path csv = dir.resolve("bom.csv");
        byte[] text = "clk,buy,u,i\n1,1,0,2\n0,0,1,1\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Files.write(csv, withBom);
        Path out = dir.resolve("bom.arrow");
        CsvConverter.convert(MAPPING, List.of(csv), List.of(out), memory);
        var rows = TestBatches.readAll(ExposureSources.open(out, memory));
        assertThat(rows.clickLabels()).containsExactly(1, 0);
        assertThat(rows.singleValued()[1]).containsExactly(2, 1);
    }

    @Test
    void anInvalidByteIsReportedOnItsOwnLine() throws IOException {
        StringBuilder sb = new StringBuilder("clk,buy,u,i\n");
        for (int r = 0; r < 5000; r++) {
            sb.append("1,0,1,2\n"); // 40 KB of good lines before the bad one
        }
        byte[] good = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = {
            '0', ',', '0', ',', (byte) 0xC3, ',', '1', '\n', '1', ',', '0', ',', '1', ','
        };
        byte[] all = new byte[good.length + bad.length + 2];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        all[all.length - 2] = '1';
        all[all.length - 1] = '\n';
        Path csv = dir.resolve("latin1.csv");
        Files.write(csv, all);
        assertThatThrownBy(
                        () ->
                                CsvConverter.convert(
                                        MAPPING,
                                        List.of(csv),
                                        List.of(dir.resolve("x.arrow")),
                                        memory))
                .isInstanceOf(DataException.class)
                .hasMessage(csv + ": line 5002: not UTF-8 text");
        assertThat(dir.resolve("x.arrow")).doesNotExist();
    }

    @Test
    void crlfLinesReadLikeLfLines() throws IOException {
        Path csv = dir.resolve("crlf.csv");
        Files.writeString(csv, "clk,buy,u,i\r\n1,1,0,2\r\n0,0,1,1\r\n");
        Path out = dir.resolve("crlf.arrow");
        CsvConverter.convert(MAPPING, List.of(csv), List.of(out), memory);
        assertThat(TestBatches.readAll(ExposureSources.open(out, memory)).singleValued()[1])
                .containsExactly(2, 1);
    }

    @Test
    void oneColumnCannotBeBothTheClickAndTheConversion() {
        assertThatThrownBy(
                        () ->
                                CsvMapping.of(
                                        "c",
                                        "c",
                                        List.of(CsvMapping.Feature.single("u", FieldRole.USER, 3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Column 'c' is given as both the click and the conversion column; one"
                                + " column can have one role only");
    }
}
