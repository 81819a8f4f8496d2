package org.causalcvr.backend.djl;

import static org.causalcvr.backend.djl.DjlKeys.ACTIVATION;
import static org.causalcvr.backend.djl.DjlKeys.BATCH_SIZE;
import static org.causalcvr.backend.djl.DjlKeys.CHECKPOINT_EVERY;
import static org.causalcvr.backend.djl.DjlKeys.CLICKED_ROW_SAVINGS;
import static org.causalcvr.backend.djl.DjlKeys.DENSE_FEATURES;
import static org.causalcvr.backend.djl.DjlKeys.DEVICE;
import static org.causalcvr.backend.djl.DjlKeys.DROPOUT;
import static org.causalcvr.backend.djl.DjlKeys.EMBEDDING_DIM;
import static org.causalcvr.backend.djl.DjlKeys.EMBEDDING_L2;
import static org.causalcvr.backend.djl.DjlKeys.EPOCHS;
import static org.causalcvr.backend.djl.DjlKeys.GRADIENT_CLIP_NORM;
import static org.causalcvr.backend.djl.DjlKeys.HASH_SIZE;
import static org.causalcvr.backend.djl.DjlKeys.HIDDEN_SIZES;
import static org.causalcvr.backend.djl.DjlKeys.ID_POLICY;
import static org.causalcvr.backend.djl.DjlKeys.INIT_STD;
import static org.causalcvr.backend.djl.DjlKeys.INTEROP_THREADS;
import static org.causalcvr.backend.djl.DjlKeys.LEARNING_RATE;
import static org.causalcvr.backend.djl.DjlKeys.LEARNING_RATE_DECAY;
import static org.causalcvr.backend.djl.DjlKeys.LEARNING_RATE_END;
import static org.causalcvr.backend.djl.DjlKeys.LEARNING_RATE_WARMUP;
import static org.causalcvr.backend.djl.DjlKeys.MF_ITEM_FIELD;
import static org.causalcvr.backend.djl.DjlKeys.MF_USER_FIELD;
import static org.causalcvr.backend.djl.DjlKeys.OMP_WAIT_POLICY;
import static org.causalcvr.backend.djl.DjlKeys.PATIENCE;
import static org.causalcvr.backend.djl.DjlKeys.PREFETCH;
import static org.causalcvr.backend.djl.DjlKeys.PRESET;
import static org.causalcvr.backend.djl.DjlKeys.PROGRESS_EVERY;
import static org.causalcvr.backend.djl.DjlKeys.SEED;
import static org.causalcvr.backend.djl.DjlKeys.SHUFFLE_ROWS;
import static org.causalcvr.backend.djl.DjlKeys.THREADS;
import static org.causalcvr.backend.djl.DjlKeys.UNCLICKED_SAMPLING;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.config.Config;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.ConfigSchema;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.estimator.Activation;
import org.causalcvr.backend.djl.model.DenseTransform;
import org.causalcvr.backend.djl.model.MatrixFactorisation;
import org.causalcvr.backend.djl.step.StepSizeSchedule;

/**
 * The validated settings of the DJL backend: a preset resolved against explicit overrides.
 *
 * <p>Every key of {@link #SCHEMA} that is left at its "unset" value (0, empty, {@code preset})
 * takes the preset's value; anything given explicitly wins over the preset.
 *
 * @param preset the preset the defaults came from
 * @param embeddingDim width d of every field's embedding
 * @param hiddenSizes hidden layer widths of every tower (a tower may override them)
 * @param activation nonlinearity between hidden layers (a tower may override it)
 * @param learningRate Adam step size for towers and embeddings
 * @param batchSize rows per training batch before under-sampling
 * @param epochs passes over the training data per schedule stage
 * @param seed the seed every random choice is derived from
 * @param hashSize maximum embedding rows per field (0: one row per id of the field's cardinality)
 * @param idPolicy what happens to an id beyond its field's table
 * @param device where to compute
 * @param threads PyTorch intra-op threads (0: engine default)
 * @param interopThreads PyTorch inter-op threads (0: engine default)
 * @param patience epochs without a better validation score before training stops
 * @param shuffleRows rows of the shuffle window (0: no shuffling, data order)
 * @param prefetchBatches training batches assembled ahead of the step
 * @param checkpointEvery steps between checkpoints (0: only at the end of each epoch)
 * @param progressEvery steps between progress reports
 * @param initStd standard deviation of the normal initialisation of embedding rows
 * @param ompWaitPolicy how the engine's OpenMP threads wait
 * @param clickedRowSavings whether towers the loss reads (or differentiates) only on clicked rows
 *     run (or back-propagate) on those rows alone; same loss and gradients either way
 * @param mfUserField the user field of preset {@code mf}'s towers (see {@link MatrixFactorisation})
 * @param mfItemField the item field of preset {@code mf}'s towers
 * @param embeddingL2 L2 penalty on the embedding rows a batch reads (lazy: rows outside the batch
 *     do not decay)
 * @param denseFeatures how the schema's dense fields enter the towers ({@link DenseTransform})
 * @param dropout share of the hidden units of each trained tower zeroed per row and step (see
 *     {@link org.causalcvr.backend.djl.model.Dropout}; 0: none)
 * @param learningRateDecay factor the step size is multiplied by after each epoch of a stage (epoch
 *     e, from 0, steps with learningRate·decay^e; 1: constant)
 * @param learningRateEnd share of the step size left after a stage's last batch: the step size
 *     falls linearly over the stage's batches (1: constant; see {@link
 *     org.causalcvr.backend.djl.step.StepPlace#stageProgress()})
 * @param learningRateWarmup share of a stage's batches over which the step size rises linearly to
 *     the learning rate (0: none)
 * @param unclickedSampling how an estimator's under-sampling of unclicked rows is realised
 * @param gradientClipNorm largest joint L2 norm of a step's gradients, longer ones rescaled to it
 *     before the optimiser reads them (0: none; see {@link
 *     org.causalcvr.backend.djl.step.GradientNormClip})
 */
public record DjlOptions(
        Preset preset,
        int embeddingDim,
        List<Integer> hiddenSizes,
        Activation activation,
        double learningRate,
        int batchSize,
        int epochs,
        long seed,
        long hashSize,
        IdPolicy idPolicy,
        DeviceChoice device,
        int threads,
        int interopThreads,
        int patience,
        int shuffleRows,
        int prefetchBatches,
        long checkpointEvery,
        int progressEvery,
        double initStd,
        WaitPolicy ompWaitPolicy,
        boolean clickedRowSavings,
        String mfUserField,
        String mfItemField,
        double embeddingL2,
        DenseTransform denseFeatures,
        double dropout,
        double learningRateDecay,
        double learningRateEnd,
        double learningRateWarmup,
        UnclickedSampling unclickedSampling,
        double gradientClipNorm) {

    /**
     * How the backend realises an estimator's λ, its count of unclicked rows kept per clicked row
     * of a batch ({@link org.causalcvr.api.estimator.Estimator#unclickedSamplingRate()}). With c
     * clicked and u unclicked rows in a batch, k = min(u, ⌈λ·c⌉) unclicked rows are drawn:
     */
    public enum UnclickedSampling {
        /** Keep the clicked rows and a seeded random k of the unclicked ones (the paper's). */
        DRAW,
        /**
         * Keep every row, an unclicked one with row weight k/u, the chance the draw keeps it: every
         * weighted sum of the loss is the draw's expectation, so the objective is the draw's
         * without the noise of which rows it kept. Each step reads the whole batch. (A relative IPW
         * bound, {@code ipw-bound-pct}, takes its batch statistics over every row here, so with one
         * the expectation is approximate.)
         */
        WEIGHT
    }

    /** What happens to an id at or beyond the number of rows of its field's table. */
    public enum IdPolicy {
        /** Map the id into the table with a fixed hash (collisions share a row). */
        HASH,
        /** Fail with a {@link org.causalcvr.api.DataException} naming the column and row. */
        REFUSE
    }

    /**
     * How PyTorch's OpenMP threads wait between parallel regions ({@code OMP_WAIT_POLICY}, applied
     * before the engine loads, unless the environment already sets it).
     */
    public enum WaitPolicy {
        /**
         * Threads sleep: on a machine shared with other busy processes, spinning threads of a
         * 2-core machine were measured 7x slower than sleeping ones.
         */
        PASSIVE,
        /** Threads spin: lowest latency on a machine of one's own. */
        ACTIVE,
        /** Leave the OpenMP runtime's default. */
        DEFAULT
    }

    /** Where to compute. */
    public enum DeviceChoice {
        /** The first GPU when the engine sees one, else the CPU. */
        AUTO,
        CPU,
        /** The first GPU; fails when there is none. */
        GPU
    }

    /**
     * Named starting points.
     *
     * <ul>
     *   <li>{@code paper-ali-ccp}: embedding 18, towers 512-256-128-32 ReLU, Adam lr 2e-4, batch
     *       1024 (paper section 5.4.1);
     *   <li>{@code paper-production}: embedding 18, towers 1024-512-256-128-32, lr 5e-4, batch
     *       10000 (the L2 penalty on the imputation tower is the estimator's {@code
     *       imputation-l2});
     *   <li>{@code esmm-official}: embedding 12, towers 200-80 PReLU, lr 1e-3, batch 5000;
     *   <li>{@code small}: embedding 4, towers 16-8 PReLU, lr 1e-2, batch 256, for tests and demos
     *       (ReLU units died here: with embeddings of std 0.01 a unit's sign is set by its bias, so
     *       an Adam step of 1e-2 on the bias switches it off on every row at once; when the last
     *       hidden layer was all off the tower predicted a constant, Coat seed 3);
     *   <li>{@code mf}: matrix factorisation instead of MLP towers (see {@link
     *       MatrixFactorisation}): embedding 17 (rank 16 plus a bias), lr 1e-2, batch 256.
     * </ul>
     */
    public enum Preset {
        PAPER_ALI_CCP(18, List.of(512, 256, 128, 32), Activation.RELU, 2e-4, 1024),
        PAPER_PRODUCTION(18, List.of(1024, 512, 256, 128, 32), Activation.RELU, 5e-4, 10000),
        ESMM_OFFICIAL(12, List.of(200, 80), Activation.PRELU, 1e-3, 5000),
        SMALL(4, List.of(16, 8), Activation.PRELU, 1e-2, 256),
        MF(17, List.of(), Activation.RELU, 1e-2, 256);

        final int embeddingDim;
        final List<Integer> hiddenSizes;
        final Activation activation;
        final double learningRate;
        final int batchSize;

        Preset(
                int embeddingDim,
                List<Integer> hiddenSizes,
                Activation activation,
                double learningRate,
                int batchSize) {
            this.embeddingDim = embeddingDim;
            this.hiddenSizes = hiddenSizes;
            this.activation = activation;
            this.learningRate = learningRate;
            this.batchSize = batchSize;
        }
    }

    /** The activation key's "take the preset's" value. */
    public enum ActivationChoice {
        PRESET,
        RELU,
        PRELU,
        TANH,
        SIGMOID
    }

    public static final ConfigSchema SCHEMA =
            new ConfigSchema(
                    "backend djl",
                    List.of(
                            PRESET,
                            EMBEDDING_DIM,
                            HIDDEN_SIZES,
                            ACTIVATION,
                            LEARNING_RATE,
                            BATCH_SIZE,
                            EPOCHS,
                            SEED,
                            HASH_SIZE,
                            ID_POLICY,
                            DEVICE,
                            THREADS,
                            INTEROP_THREADS,
                            PATIENCE,
                            SHUFFLE_ROWS,
                            PREFETCH,
                            CHECKPOINT_EVERY,
                            PROGRESS_EVERY,
                            INIT_STD,
                            OMP_WAIT_POLICY,
                            CLICKED_ROW_SAVINGS,
                            MF_USER_FIELD,
                            MF_ITEM_FIELD,
                            EMBEDDING_L2,
                            DENSE_FEATURES,
                            DROPOUT,
                            LEARNING_RATE_DECAY,
                            LEARNING_RATE_END,
                            LEARNING_RATE_WARMUP,
                            UNCLICKED_SAMPLING,
                            GRADIENT_CLIP_NORM));

    public DjlOptions {
        hiddenSizes = List.copyOf(hiddenSizes);
    }

    /** The options of a resolved configuration of {@link #SCHEMA}. */
    public static DjlOptions from(Config config) {
        Preset preset = config.get(PRESET);
        int dim = config.get(EMBEDDING_DIM);
        String hidden = config.get(HIDDEN_SIZES);
        ActivationChoice act = config.get(ACTIVATION);
        double lr = config.get(LEARNING_RATE);
        int batch = config.get(BATCH_SIZE);
        if (preset == Preset.MF && !hidden.isEmpty()) {
            throw new ConfigException(
                    "Config key 'hidden-sizes' = '"
                            + hidden
                            + "' has no meaning for preset mf (its towers have no hidden layers)");
        }
        if (preset == Preset.MF && config.get(DROPOUT) > 0) {
            throw new ConfigException(
                    "Config key 'dropout' = "
                            + config.get(DROPOUT)
                            + " has no meaning for preset mf (its towers have no hidden layers)");
        }
        return new DjlOptions(
                preset,
                dim == 0 ? preset.embeddingDim : dim,
                hidden.isEmpty() ? preset.hiddenSizes : parseSizes(hidden),
                act == ActivationChoice.PRESET ? preset.activation : Activation.valueOf(act.name()),
                lr == 0.0 ? preset.learningRate : lr,
                batch == 0 ? preset.batchSize : batch,
                config.get(EPOCHS),
                config.get(SEED),
                config.get(HASH_SIZE),
                config.get(ID_POLICY),
                config.get(DEVICE),
                config.get(THREADS),
                config.get(INTEROP_THREADS),
                config.get(PATIENCE),
                config.get(SHUFFLE_ROWS),
                config.get(PREFETCH),
                config.get(CHECKPOINT_EVERY),
                config.get(PROGRESS_EVERY),
                config.get(INIT_STD),
                config.get(OMP_WAIT_POLICY),
                config.get(CLICKED_ROW_SAVINGS),
                config.get(MF_USER_FIELD),
                config.get(MF_ITEM_FIELD),
                config.get(EMBEDDING_L2),
                config.get(DENSE_FEATURES),
                config.get(DROPOUT),
                config.get(LEARNING_RATE_DECAY),
                config.get(LEARNING_RATE_END),
                config.get(LEARNING_RATE_WARMUP),
                config.get(UNCLICKED_SAMPLING),
                config.get(GRADIENT_CLIP_NORM));
    }

    /** The step size of every training step: the learning rate and its schedule. */
    public StepSizeSchedule stepSizes() {
        return new StepSizeSchedule(
                learningRate, learningRateDecay, learningRateEnd, learningRateWarmup);
    }

    /**
     * The matrix-factorisation head every tower gets under preset {@code mf}, its fields resolved
     * against {@code schema}; empty for the MLP presets.
     */
    public Optional<MatrixFactorisation> matrixFactorisation(FeatureSchema schema) {
        if (preset != Preset.MF) {
            return Optional.empty();
        }
        return Optional.of(MatrixFactorisation.resolve(schema, mfUserField, mfItemField));
    }

    /** The options of flat settings (strictly validated). */
    public static DjlOptions from(Map<String, String> settings) {
        return from(SCHEMA.resolve(settings));
    }

    /** Every option with its effective value (presets applied), for provenance. */
    public Map<String, String> effective() {
        var out = new java.util.LinkedHashMap<String, String>();
        out.put("preset", ConfigKey.enumText(preset));
        out.put("embedding-dim", Integer.toString(embeddingDim));
        out.put("hidden-sizes", formatSizes(hiddenSizes));
        out.put("activation", ConfigKey.enumText(activation));
        out.put("learning-rate", Double.toString(learningRate));
        out.put("batch-size", Integer.toString(batchSize));
        out.put("epochs", Integer.toString(epochs));
        out.put("seed", Long.toString(seed));
        out.put("hash-size", Long.toString(hashSize));
        out.put("id-policy", ConfigKey.enumText(idPolicy));
        out.put("device", ConfigKey.enumText(device));
        out.put("threads", Integer.toString(threads));
        out.put("interop-threads", Integer.toString(interopThreads));
        out.put("patience", Integer.toString(patience));
        out.put("shuffle-rows", Integer.toString(shuffleRows));
        out.put("prefetch-batches", Integer.toString(prefetchBatches));
        out.put("checkpoint-every", Long.toString(checkpointEvery));
        out.put("progress-every", Integer.toString(progressEvery));
        out.put("init-std", Double.toString(initStd));
        out.put("omp-wait-policy", ConfigKey.enumText(ompWaitPolicy));
        out.put("clicked-row-savings", Boolean.toString(clickedRowSavings));
        if (embeddingL2 > 0) {
            // Only when set, so that the provenance of models trained without it is unchanged.
            out.put("embedding-l2", Double.toString(embeddingL2));
        }
        if (denseFeatures != DENSE_FEATURES.defaultValue()) {
            // Only when changed, as embedding-l2; model.json records the dense input itself.
            out.put("dense-features", ConfigKey.enumText(denseFeatures));
        }
        if (dropout > 0) {
            // Only when set, as embedding-l2.
            out.put("dropout", Double.toString(dropout));
        }
        if (learningRateDecay != 1.0) {
            // Only when set, as embedding-l2.
            out.put("learning-rate-decay", Double.toString(learningRateDecay));
        }
        if (learningRateEnd != 1.0) {
            // Only when set, as embedding-l2.
            out.put("learning-rate-end", Double.toString(learningRateEnd));
        }
        if (learningRateWarmup != 0.0) {
            // Only when set, as embedding-l2.
            out.put("learning-rate-warmup", Double.toString(learningRateWarmup));
        }
        if (unclickedSampling != UNCLICKED_SAMPLING.defaultValue()) {
            // Only when changed, as embedding-l2.
            out.put("unclicked-sampling", ConfigKey.enumText(unclickedSampling));
        }
        if (gradientClipNorm > 0) {
            // Only when set, as embedding-l2.
            out.put("gradient-clip-norm", Double.toString(gradientClipNorm));
        }
        if (preset == Preset.MF) {
            out.put("mf-user-field", mfUserField);
            out.put("mf-item-field", mfItemField);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    static String formatSizes(List<Integer> sizes) {
        var parts = new ArrayList<String>();
        sizes.forEach(s -> parts.add(Integer.toString(s)));
        return String.join("-", parts);
    }

    static List<Integer> parseSizes(String text) {
        var out = new ArrayList<Integer>();
        for (String part : text.trim().split("[-,x ]+")) {
            try {
                out.add(Integer.parseInt(part));
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        "Config key 'hidden-sizes' = '"
                                + text
                                + "' is not a list of widths such as 512-256-128-32");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "djl " + effective().toString().toLowerCase(Locale.ROOT);
    }
}
