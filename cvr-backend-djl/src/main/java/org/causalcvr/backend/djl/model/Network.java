package org.causalcvr.backend.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.estimator.Activation;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.causalcvr.backend.djl.data.HostBatch;
import org.causalcvr.backend.djl.embedding.EmbeddingTable;

/**
 * The shared-embedding multi-task network: one embedding table per embedding group (every table
 * with the same field layout), the fields' embeddings concatenated (single-valued fields in schema
 * order, then the pooled multi-valued ones), followed by the layout's {@link DenseInput} columns
 * (none when the schema has no dense field or they are off), and one {@link DenseTower} per tower.
 * A matrix-factorisation tower reads only its two fields' embeddings.
 */
public final class Network implements AutoCloseable {
    /**
     * The architecture, enough to rebuild the network without the estimator.
     *
     * @param matrixFactorisation present for a matrix-factorisation tower (preset {@code mf}),
     *     which ignores {@code hidden} and {@code activation}; empty for an MLP tower
     */
    public record TowerArch(
            String name,
            String group,
            List<Integer> hidden,
            Activation activation,
            double l2,
            Optional<MatrixFactorisation> matrixFactorisation) {
        /** An MLP tower. */
        public TowerArch(
                String name, String group, List<Integer> hidden, Activation activation, double l2) {
            this(name, group, hidden, activation, l2, Optional.empty());
        }
    }

    public final FeatureSchema schema;
    public final FieldLayout layout;
    public final int embeddingDim;
    public final long seed;
    public final double initStd;
    public final List<TowerArch> architecture;
    public final Map<String, EmbeddingTable> tables = new LinkedHashMap<>();
    public final Map<String, DenseTower> towers = new LinkedHashMap<>();
    public final NDManager manager;

    public Network(
            FeatureSchema schema,
            FieldLayout layout,
            int embeddingDim,
            long seed,
            double initStd,
            List<TowerArch> architecture,
            NDManager parent) {
        this.schema = schema;
        this.layout = layout;
        this.embeddingDim = embeddingDim;
        this.seed = seed;
        this.initStd = initStd;
        this.architecture = List.copyOf(architecture);
        this.manager = parent.newSubManager();
        int width = schema.size() * embeddingDim + layout.denseInput().width();
        var rng = new SplittableRandom(seed);
        int groupIndex = 0;
        for (TowerArch t : architecture) {
            if (!tables.containsKey(t.group())) {
                long tableSeed = FieldLayout.mix(seed, 1000 + groupIndex++);
                tables.put(
                        t.group(),
                        new EmbeddingTable(layout.totalRows(), embeddingDim, tableSeed, initStd));
            }
            SplittableRandom towerRng = rng.split();
            towers.put(
                    t.name(),
                    t.matrixFactorisation().isPresent()
                            ? DenseTower.matrixFactorisation(
                                    t.name(),
                                    t.group(),
                                    t.matrixFactorisation().get().blocks(layout, embeddingDim),
                                    t.activation(),
                                    t.l2(),
                                    manager)
                            : new DenseTower(
                                    t.name(),
                                    t.group(),
                                    width,
                                    t.hidden(),
                                    t.activation(),
                                    t.l2(),
                                    manager,
                                    towerRng));
        }
    }

    /**
     * A group's gathered rows and the row features built from them.
     *
     * @param slots the gathered rows' slots in the table (see {@link
     *     EmbeddingTable#adamStepAtSlots}) when they were gathered for training, else null
     */
    public record Features(NDArray leaf, NDArray input, int[] slots) {}

    /**
     * Gathers the batch's unique rows of {@code group}'s table into one leaf array (which records a
     * gradient if {@code trainable}) and builds the (n, fields·d + dense) input of the towers from
     * it: the embeddings, then the batch's transformed dense values (constants, no gradient).
     */
    public Features features(
            HostBatch batch, String group, boolean trainable, NDManager step, float[] scratch) {
        EmbeddingTable table = tables.get(group);
        int d = embeddingDim;
        int u = batch.uniqueCount;
        // One extra zero row: the padding target of multi-valued fields.
        int rows = u + 1;
        int[] slots = null;
        if (trainable) {
            // Every gathered row gets an Adam step after this one: give new rows their slot now,
            // so their initial value is computed once, not here and again in the update, and keep
            // the slots, so that the update does not look the rows up again.
            slots = new int[u];
            table.gatherMaterialising(batch.uniqueRows, u, scratch, slots);
        } else {
            table.gather(batch.uniqueRows, u, scratch);
        }
        java.util.Arrays.fill(scratch, u * d, rows * d, 0f);
        NDArray leaf = step.create(FloatBuffer.wrap(scratch, 0, rows * d), new Shape(rows, d));
        if (trainable) {
            leaf.setRequiresGradient(true);
        }
        int n = batch.size;
        var parts = new ArrayList<NDArray>();
        int singles = batch.singleCount;
        if (singles > 0) {
            NDArray idx =
                    step.create(
                            IntBuffer.wrap(batch.localSingle, 0, n * singles),
                            new Shape(n * singles));
            parts.add(embed(idx, leaf).reshape(n, (long) singles * d));
        }
        for (int m = 0; m < batch.multiCount; m++) {
            int width = batch.multiWidth[m];
            NDArray idx =
                    step.create(
                            IntBuffer.wrap(batch.localMulti[m], 0, n * width), new Shape(n, width));
            NDArray w =
                    step.create(
                            FloatBuffer.wrap(batch.poolWeights[m], 0, n * width),
                            new Shape(n, width, 1));
            parts.add(embed(idx, leaf).mul(w).sum(new int[] {1}));
        }
        int dense = batch.denseWidth;
        if (dense > 0) {
            parts.add(
                    step.create(FloatBuffer.wrap(batch.dense, 0, n * dense), new Shape(n, dense)));
        }
        NDArray input = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 1);
        return new Features(leaf, input, slots);
    }

    /** Rows {@code indices} of {@code weight} (gradients scatter back into {@code weight}). */
    public static NDArray embed(NDArray indices, NDArray weight) {
        return indices.getNDArrayInternal()
                .embedding(indices, weight, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /** Floats needed by {@link #features}'s scratch buffer for {@code batch}. */
    public int scratchSize(HostBatch batch) {
        return (batch.uniqueCount + 1) * embeddingDim;
    }

    @Override
    public void close() {
        manager.close();
    }

    private static final class NDArrays {
        static NDArray concat(NDList list, int axis) {
            return ai.djl.ndarray.NDArrays.concat(list, axis);
        }
    }
}
