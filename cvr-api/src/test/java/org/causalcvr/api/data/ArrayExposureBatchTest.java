package org.causalcvr.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArrayExposureBatchTest {
    final FeatureSchema schema =
            new FeatureSchema(
                    List.of(
                            FeatureField.single("user", FieldRole.USER, 3),
                            FeatureField.multi("history", FieldRole.USER, 5)),
                    true,
                    true);

    ArrayExposureBatch batch(int[] clicks, int[] conversions, int[] users) {
        var history =
                new MultiValuedArrays(
                        new int[] {0, 2, 2, 3}, new int[] {1, 4, 0}, new float[] {1, 2, 3});
        return new ArrayExposureBatch(
                schema,
                clicks,
                conversions,
                new int[][] {users, null},
                new MultiValuedArrays[] {null, history},
                new long[] {7, 7, 8},
                new float[] {0.5f, 0.1f, 1f},
                new float[] {0.2f, 0f, 1f});
    }

    @Test
    void exposesEveryColumnAsAView() {
        var b = batch(new int[] {1, 0, 1}, new int[] {1, 0, 0}, new int[] {0, 2, 1});

        assertThat(b.size()).isEqualTo(3);
        assertThat(b.clicks().getInt(0)).isEqualTo(1);
        assertThat(b.feature(0).getInt(1)).isEqualTo(2);
        var history = b.multiValuedFeature(1);
        assertThat(history.end(0) - history.start(0)).isEqualTo(2);
        assertThat(history.end(1) - history.start(1)).isZero();
        assertThat(history.ids().getInt(history.start(2))).isZero();
        assertThat(history.weights().orElseThrow().getFloat(1)).isEqualTo(2f);
        assertThat(b.groups().orElseThrow().getLong(2)).isEqualTo(8);
        assertThat(b.truePropensity().orElseThrow().getFloat(1)).isEqualTo(0.1f);
        int[] copy = new int[3];
        b.feature(0).copyTo(0, copy, 0, 3);
        assertThat(copy).containsExactly(0, 2, 1);
        assertThatThrownBy(() -> b.feature(1)).hasMessageContaining("multi-valued");
        assertThatThrownBy(() -> b.multiValuedFeature(0)).hasMessageContaining("single-valued");
    }

    @Test
    void slicesAreIndependentBatchesOfTheSameRows() {
        var b = batch(new int[] {1, 0, 1}, new int[] {1, 0, 0}, new int[] {0, 2, 1});

        var tail = b.slice(1, 3);

        assertThat(tail.size()).isEqualTo(2);
        assertThat(tail.feature(0).getInt(0)).isEqualTo(2);
        var history = tail.multiValuedFeature(1);
        assertThat(history.ids().getInt(history.start(1))).isZero();
        assertThat(history.weights().orElseThrow().getFloat(history.start(1))).isEqualTo(3f);
    }

    @Test
    void refusesLabelsOutsideZeroOneAConversionWithoutAClickAndIdsBeyondTheCardinality() {
        assertThatThrownBy(
                        () -> batch(new int[] {2, 0, 1}, new int[] {0, 0, 0}, new int[] {0, 0, 0}))
                .hasMessage("Column 'click', row 0: label 2 is not 0 or 1");
        assertThatThrownBy(
                        () -> batch(new int[] {1, 0, 1}, new int[] {0, 1, 0}, new int[] {0, 0, 0}))
                .hasMessage("Column 'conversion', row 1: a conversion without a click");
        assertThatThrownBy(
                        () -> batch(new int[] {1, 0, 1}, new int[] {0, 0, 0}, new int[] {0, 3, 0}))
                .hasMessage("Column 'user', value 1: id 3 is outside [0, 3)");
    }

    @Test
    void aLabelColumnCanNeverBeAFeature() {
        for (String label :
                List.of("click", "conversion", "Purchase", "true_cvr", "group", "109_14_weight")) {
            assertThatThrownBy(() -> FeatureField.single(label, FieldRole.USER, 2))
                    .hasMessageContaining("can never be a feature");
        }
    }

    @Test
    void theSchemaComputesOffsetsIntoOneSharedTable() {
        assertThat(schema.offsets()).containsExactly(0, 3);
        assertThat(schema.totalCardinality()).isEqualTo(8);
        assertThat(schema.indexOf("history")).isEqualTo(1);
        assertThatThrownBy(() -> schema.indexOf("histroy"))
                .hasMessageContaining("did you mean 'history'");
        assertThat(schema.describe()).isEqualTo("user:user:3,history:user:5:multi;group;truth");
    }

    @Test
    void anInMemorySourceStreamsEveryRowInSlices() {
        var b = batch(new int[] {1, 0, 1}, new int[] {1, 0, 0}, new int[] {0, 2, 1});
        var source = new InMemoryExposureSource(b, 2, "test");

        var sizes = new ArrayList<Integer>();
        try (BatchCursor cursor = source.open()) {
            while (cursor.next()) {
                sizes.add(cursor.batch().size());
            }
        }

        assertThat(sizes).containsExactly(2, 1);
        assertThat(source.rowCount()).hasValue(3);
        assertThat(source.fingerprint()).startsWith("mem-3-");
    }
}
