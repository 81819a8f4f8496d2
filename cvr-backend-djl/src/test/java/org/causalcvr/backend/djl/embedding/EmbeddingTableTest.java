package org.causalcvr.backend.djl.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EmbeddingTableTest {

    @Test
    void aLazyAdamStepMovesOnlyTheBatchRows() {
        var table = new EmbeddingTable(100_000, 4, 9, 0.01);
        int[] all = new int[100_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        float[] before = new float[all.length * 4];
        table.gather(all, all.length, before);
        int[] batchRows = {3, 70_000, 99_999};
        float[] grad = {1, 1, 1, 1, -1, -1, -1, -1, 0.5f, 0, 0, 0};
        table.adamStep(batchRows, 3, grad, 0.1, 0.9, 0.999, 1e-8);
        float[] after = new float[all.length * 4];
        table.gather(all, all.length, after);
        for (int row = 0; row < all.length; row++) {
            boolean inBatch = row == 3 || row == 70_000 || row == 99_999;
            for (int k = 0; k < 4; k++) {
                float b = before[row * 4 + k];
                float a = after[row * 4 + k];
                if (!inBatch || (row == 99_999 && k > 0)) {
                    assertThat(a).as("row %d col %d", row, k).isEqualTo(b);
                } else {
                    // Adam's first step moves each coordinate by lr against the gradient's sign.
                    assertThat((double) a - b)
                            .isCloseTo(
                                    -0.1
                                            * Math.signum(
                                                    grad[
                                                            (row == 3 ? 0 : row == 70_000 ? 1 : 2)
                                                                            * 4
                                                                    + k]),
                                    org.assertj.core.data.Offset.offset(1e-4));
                }
            }
        }
        assertThat(table.touchedRows()).isEqualTo(3);
        assertThat(table.steps()).isEqualTo(1);
    }

    @Test
    void anL2PenaltyAddsTwiceL2TimesTheWeightToTheGradientOfTheBatchRowsOnly() {
        var penalised = new EmbeddingTable(1000, 4, 9, 0.5);
        var byHand = new EmbeddingTable(1000, 4, 9, 0.5);
        int[] rows = {3, 700};
        float[] w = new float[8];
        byHand.gather(rows, 2, w);
        float[] grad = {0.2f, -0.1f, 0, 0.05f, 0, 0, 0.3f, -0.4f};
        float[] withDecay = new float[8];
        for (int i = 0; i < 8; i++) {
            withDecay[i] = grad[i] + 2 * 0.05f * w[i];
        }
        for (int step = 0; step < 3; step++) {
            penalised.adamStep(rows, 2, grad, 0.01, 0.9, 0.999, 1e-8, 0.05);
            byHand.adamStep(rows, 2, withDecay, 0.01, 0.9, 0.999, 1e-8);
            float[] now = new float[8];
            byHand.gather(rows, 2, now);
            for (int i = 0; i < 8; i++) {
                withDecay[i] = grad[i] + 2 * 0.05f * now[i];
            }
        }
        float[] a = new float[8];
        float[] b = new float[8];
        penalised.gather(rows, 2, a);
        byHand.gather(rows, 2, b);
        assertThat(a).containsExactly(b);
        // zero gradient, positive weight: the penalty alone pulls the weight towards 0
        assertThat(Math.abs(a[4])).isLessThan(Math.abs(w[4]));
        assertThat(penalised.touchedRows()).isEqualTo(2);
    }

    @Test
    void initialRowsDependOnTheSeedOnlyAndHaveTheConfiguredSpread() {
        var a = new EmbeddingTable(5000, 8, 1, 0.05);
        var b = new EmbeddingTable(5000, 8, 1, 0.05);
        var c = new EmbeddingTable(5000, 8, 2, 0.05);
        int[] rows = new int[5000];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = rows.length - 1 - i;
        }
        float[] x = new float[5000 * 8];
        float[] y = new float[5000 * 8];
        float[] z = new float[5000 * 8];
        a.gather(rows, rows.length, x);
        b.gather(rows, rows.length, y);
        c.gather(rows, rows.length, z);
        assertThat(y).containsExactly(x);
        assertThat(z).isNotEqualTo(x);
        double ss = 0;
        for (float v : x) {
            ss += v * v;
        }
        assertThat(Math.sqrt(ss / x.length)).isBetween(0.048, 0.052);
    }

    @Test
    void writeAndReadKeepWeightsMomentsAndStepCount() throws IOException {
        var table = new EmbeddingTable(1000, 3, 5, 0.01);
        table.adamStep(
                new int[] {1, 500}, 2, new float[] {1, 2, 3, 4, 5, 6}, 0.01, 0.9, 0.999, 1e-8);
        var bytes = new ByteArrayOutputStream();
        table.write(new DataOutputStream(bytes), true);
        var copy =
                EmbeddingTable.read(
                        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "test");
        // The same next step on both gives the same rows: moments and step count came along.
        int[] rows = {1, 500, 7};
        float[] g = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        table.adamStep(rows, 3, g, 0.01, 0.9, 0.999, 1e-8);
        copy.adamStep(rows, 3, g, 0.01, 0.9, 0.999, 1e-8);
        float[] x = new float[9];
        float[] y = new float[9];
        table.gather(rows, 3, x);
        copy.gather(rows, 3, y);
        assertThat(y).containsExactly(x);
        assertThat(copy.touchedRows()).isEqualTo(3);
    }
}
