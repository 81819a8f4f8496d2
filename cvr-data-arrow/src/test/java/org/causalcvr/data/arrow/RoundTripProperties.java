package org.causalcvr.data.arrow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.causalcvr.api.data.ArrayExposureBatch;
import org.causalcvr.api.data.FeatureField;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.data.FieldRole;
import org.causalcvr.api.data.MultiValuedArrays;

class RoundTripProperties {
    @Property(tries = 150, seed = "42")
    void writeThenReadPreservesEveryValue(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 300) int rows,
            @ForAll @IntRange(min = 1, max = 64) int batchRows,
            @ForAll boolean stream)
            throws Exception {
        Random rnd = new Random(seed);
        ExposureLogSchema schema = randomSchema(rnd);
        ArrayExposureBatch in = randomBatch(rnd, schema, rows);
        Path dir = Files.createTempDirectory("roundtrip");
        Path file = dir.resolve("log.arrow");
        try (Allocators memory = Allocators.create()) {
            IpcFormat format = stream ? IpcFormat.STREAM : IpcFormat.FILE;
            try (ExposureWriter w =
                    ExposureWriter.create(file, schema, memory.root(), format, batchRows)) {
                w.write(in);
                w.commit();
            }
            ArrowExposureSource source = ArrowExposureSource.open(file, memory);
            org.assertj.core.api.Assertions.assertThat(source.logSchema()).isEqualTo(schema);
            if (!stream) {
                org.assertj.core.api.Assertions.assertThat(source.rowCount()).hasValue(rows);
            }
            TestBatches.assertSameRows(TestBatches.readAll(source), in);
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    static ExposureLogSchema randomSchema(Random rnd) {
        int n = 1 + rnd.nextInt(5);
        List<FeatureField> fields = new ArrayList<>();
        Set<String> weighted = new HashSet<>();
        FieldRole[] roles = FieldRole.values();
        for (int f = 0; f < n; f++) {
            long card =
                    rnd.nextInt(4) == 0 ? 1 : 1 + rnd.nextInt(rnd.nextBoolean() ? 5 : 1_000_000);
            boolean multi = rnd.nextInt(3) == 0;
            String name = "f" + f;
            fields.add(new FeatureField(name, roles[rnd.nextInt(roles.length)], card, multi));
            if (multi && rnd.nextBoolean()) {
                weighted.add(name);
            }
        }
        return new ExposureLogSchema(
                new FeatureSchema(fields, rnd.nextBoolean(), rnd.nextBoolean()), weighted);
    }

    static ArrayExposureBatch randomBatch(Random rnd, ExposureLogSchema schema, int rows) {
        FeatureSchema s = schema.features();
        int[] click = new int[rows];
        int[] conv = new int[rows];
        for (int r = 0; r < rows; r++) {
            click[r] = rnd.nextInt(2);
            conv[r] = click[r] == 1 ? rnd.nextInt(2) : 0;
        }
        int[][] single = new int[s.size()][];
        MultiValuedArrays[] multi = new MultiValuedArrays[s.size()];
        for (int f = 0; f < s.size(); f++) {
            int card = (int) s.field(f).cardinality();
            if (s.field(f).multiValued()) {
                int[] offsets = new int[rows + 1];
                for (int r = 0; r < rows; r++) {
                    offsets[r + 1] = offsets[r] + rnd.nextInt(4);
                }
                int[] ids = new int[offsets[rows]];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = rnd.nextInt(card);
                }
                float[] w = null;
                if (schema.weighted(s.field(f).name())) {
                    w = new float[ids.length];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = (float) rnd.nextGaussian();
                    }
                }
                multi[f] = new MultiValuedArrays(offsets, ids, w);
            } else {
                single[f] = new int[rows];
                for (int r = 0; r < rows; r++) {
                    single[f][r] = rnd.nextInt(card);
                }
            }
        }
        long[] groups = null;
        if (s.hasGroup()) {
            groups = new long[rows];
            for (int r = 0; r < rows; r++) {
                groups[r] = rnd.nextLong();
            }
        }
        float[] p = null;
        float[] q = null;
        if (s.hasGroundTruth()) {
            p = new float[rows];
            q = new float[rows];
            for (int r = 0; r < rows; r++) {
                p[r] = rnd.nextInt(10) == 0 ? 1f : Math.max(Float.MIN_VALUE, rnd.nextFloat());
                q[r] = rnd.nextInt(10) == 0 ? 0f : rnd.nextFloat();
            }
        }
        return new ArrayExposureBatch(s, click, conv, single, multi, groups, p, q);
    }
}
