package org.causalcvr.data.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.causalcvr.api.DataException;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.DenseField;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.MultiValuedArrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dense (Float32) feature columns beside the categorical ones. */
class DenseFeaturesTest {
    @TempDir Path dir;

    private static final FeatureSchema SCHEMA =
            new FeatureSchema(
                    List.of(FeatureField.single("user", FieldRole.USER, 3)),
                    true,
                    false,
                    List.of(
                            new DenseField("score", FieldRole.ITEM),
                            new DenseField("age", FieldRole.USER)));

    private static ArrayExposureBatch batch(float[] score, float[] age) {
        return new ArrayExposureBatch(
                SCHEMA,
                new int[] {1, 0, 1},
                new int[] {1, 0, 0},
                new int[][] {{0, 1, 2}},
                new MultiValuedArrays[1],
                new long[] {0, 1, 2},
                null,
                null,
                new float[][] {score, age});
    }

    @Test
    void denseColumnsSurviveAWriteAndARead() {
        ArrayExposureBatch in = batch(new float[] {0.25f, -3f, 1e6f}, new float[] {30, 41, 0});
        Path file = dir.resolve("dense.arrow");
        try (Allocators memory = Allocators.create()) {
            try (ExposureWriter out =
                    ExposureWriter.create(file, ExposureLogSchema.of(SCHEMA), memory)) {
                out.write(in);
                out.commit();
            }
            var source = ArrowExposureSource.file(file, memory);
            assertThat(source.schema()).isEqualTo(SCHEMA);
            assertThat(source.schema().describe()).contains(";dense=score:item,age:user");
            ArrayExposureBatch back = TestBatches.readAll(source);
            TestBatches.assertSameRows(back, in);
            assertThat(back.denseFeature(1).getFloat(1)).isEqualTo(41f);
            assertThat(
                            ExposureBatches.copyWithout(back, new boolean[] {true, false, false})
                                    .denseValues()[0])
                    .containsExactly(-3f, 1e6f);
        }
    }

    @Test
    void aNonFiniteValueIsRefusedNamingTheColumnAndRow() {
        assertThatThrownBy(() -> batch(new float[] {0, Float.NaN, 0}, new float[3]))
                .hasMessageContaining("Column 'score', row 1");
        ArrayExposureBatch fine = batch(new float[3], new float[3]);
        assertThatThrownBy(() -> fine.denseFeature(2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 dense fields");
    }

    @Test
    void aSchemaWithoutDenseFieldsDescribesAsBefore() {
        FeatureSchema plain = new FeatureSchema(SCHEMA.fields(), true, false);
        assertThat(plain.describe()).isEqualTo("user:user:3;group");
        assertThat(plain.withDense(SCHEMA.dense())).isEqualTo(SCHEMA);
        assertThatThrownBy(() -> plain.withDense(List.of(new DenseField("user", FieldRole.USER))))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> new DenseField("click", FieldRole.USER))
                .hasMessageContaining("can never be a feature");
    }

    @Test
    void aDenseColumnListedButMissingIsNamed() {
        var arrow = ExposureLogSchema.of(SCHEMA).toArrow();
        var fields = new java.util.ArrayList<>(arrow.getFields());
        fields.removeIf(f -> f.getName().equals("age"));
        var broken =
                new org.apache.arrow.vector.types.pojo.Schema(fields, arrow.getCustomMetadata());
        assertThatThrownBy(() -> ExposureLogSchema.fromArrow(broken, "x.arrow"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("x.arrow, column 'age': listed as dense but missing");
    }
}
