package org.causalcvr.backend.djl;

import org.causalcvr.api.config.ConfigKey;
import org.causalcvr.api.config.DoubleRange;
import org.causalcvr.backend.djl.model.DenseTransform;
import org.causalcvr.backend.djl.model.MatrixFactorisation;

/**
 * The configuration keys of the {@code djl} backend, each with its default, range and meaning;
 * {@link DjlOptions#SCHEMA} lists them and {@link DjlOptions#from} resolves them against a preset.
 */
public final class DjlKeys {
    private DjlKeys() {}

    public static final ConfigKey<DjlOptions.Preset> PRESET =
            ConfigKey.ofEnum(
                    "preset",
                    DjlOptions.Preset.class,
                    DjlOptions.Preset.PAPER_ALI_CCP,
                    "named defaults: layer widths, embedding size, learning rate, batch size");
    public static final ConfigKey<Integer> EMBEDDING_DIM =
            ConfigKey.ofInt("embedding-dim", 0, 0, 4096, "embedding width (0: the preset's)");
    public static final ConfigKey<String> HIDDEN_SIZES = hiddenSizesKey();
    public static final ConfigKey<DjlOptions.ActivationChoice> ACTIVATION =
            ConfigKey.ofEnum(
                    "activation",
                    DjlOptions.ActivationChoice.class,
                    DjlOptions.ActivationChoice.PRESET,
                    "hidden-layer nonlinearity (preset: the preset's)");
    public static final ConfigKey<Double> LEARNING_RATE =
            ConfigKey.ofDouble(
                    "learning-rate",
                    0.0,
                    DoubleRange.closed(0.0, 10.0),
                    "Adam step size (0: the preset's)");
    public static final ConfigKey<Double> LEARNING_RATE_DECAY =
            ConfigKey.ofDouble(
                    "learning-rate-decay",
                    1.0,
                    DoubleRange.closed(0.01, 1.0),
                    "factor the step size is multiplied by after each epoch of a stage: epoch e"
                            + " (from 0) steps with learning-rate·decay^e (1: constant)");
    public static final ConfigKey<Double> LEARNING_RATE_END =
            ConfigKey.ofDouble(
                    "learning-rate-end",
                    1.0,
                    DoubleRange.closed(0.0, 1.0),
                    "share of the step size left at the end of each stage: the step size falls"
                            + " linearly over the stage's batches, from learning-rate at its first"
                            + " to learning-rate·end after its last (1: constant; needs a row count)");
    public static final ConfigKey<Double> LEARNING_RATE_WARMUP =
            ConfigKey.ofDouble(
                    "learning-rate-warmup",
                    0.0,
                    new DoubleRange(0.0, true, 1.0, false),
                    "share of each stage's batches over which the step size rises linearly to"
                            + " learning-rate (0: none; needs a row count)");
    public static final ConfigKey<Integer> BATCH_SIZE =
            ConfigKey.ofInt("batch-size", 0, 0, 1 << 22, "rows per batch (0: the preset's)");
    public static final ConfigKey<Integer> EPOCHS =
            ConfigKey.ofInt("epochs", 1, 1, 100_000, "passes over the data per schedule stage");
    public static final ConfigKey<Long> SEED =
            ConfigKey.ofLong("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE, "the seed of everything");
    public static final ConfigKey<Long> HASH_SIZE =
            ConfigKey.ofLong(
                    "hash-size",
                    0L,
                    0L,
                    Integer.MAX_VALUE,
                    "maximum embedding rows per field; larger fields are hashed (0: no limit)");
    public static final ConfigKey<DjlOptions.IdPolicy> ID_POLICY =
            ConfigKey.ofEnum(
                    "id-policy",
                    DjlOptions.IdPolicy.class,
                    DjlOptions.IdPolicy.HASH,
                    "ids beyond a field's table: hash them into it, or refuse the data");
    public static final ConfigKey<DjlOptions.DeviceChoice> DEVICE =
            ConfigKey.ofEnum(
                    "device",
                    DjlOptions.DeviceChoice.class,
                    DjlOptions.DeviceChoice.AUTO,
                    "auto: GPU when present; cpu forces the CPU; gpu requires one");
    public static final ConfigKey<Integer> THREADS =
            ConfigKey.ofInt(
                    "threads",
                    0,
                    0,
                    1024,
                    "PyTorch intra-op threads (0: engine default); the same count gives the same"
                            + " bytes, another count may change the last bits of some sums");
    public static final ConfigKey<Integer> INTEROP_THREADS =
            ConfigKey.ofInt(
                    "interop-threads", 0, 0, 1024, "PyTorch inter-op threads (0: engine default)");
    public static final ConfigKey<Integer> PATIENCE =
            ConfigKey.ofInt(
                    "patience",
                    2,
                    1,
                    100_000,
                    "epochs without a better validation score before early stopping");
    public static final ConfigKey<Integer> SHUFFLE_ROWS =
            ConfigKey.ofInt(
                    "shuffle-rows",
                    100_000,
                    0,
                    Integer.MAX_VALUE - 8,
                    "rows of the shuffle window (0: data order)");
    public static final ConfigKey<DjlOptions.UnclickedSampling> UNCLICKED_SAMPLING =
            ConfigKey.ofEnum(
                    "unclicked-sampling",
                    DjlOptions.UnclickedSampling.class,
                    DjlOptions.UnclickedSampling.DRAW,
                    "how an estimator's under-sampling λ of unclicked rows is realised: draw (a"
                            + " seeded random ⌈λ·clicks⌉ of each batch's unclicked rows, the"
                            + " paper's) or weight (every row kept, each unclicked row weighted by"
                            + " its chance of being drawn: the draw's loss in expectation, without"
                            + " its sampling noise, at the cost of the whole batch)");
    public static final ConfigKey<Integer> PREFETCH =
            ConfigKey.ofInt(
                    "prefetch-batches", 2, 1, 64, "batches assembled ahead on another thread");
    public static final ConfigKey<Long> CHECKPOINT_EVERY =
            ConfigKey.ofLong(
                    "checkpoint-every",
                    0L,
                    0L,
                    Long.MAX_VALUE,
                    "steps between checkpoints (0: at the end of each epoch only)");
    public static final ConfigKey<Integer> PROGRESS_EVERY =
            ConfigKey.ofInt("progress-every", 50, 1, Integer.MAX_VALUE, "steps between reports");
    public static final ConfigKey<Double> INIT_STD =
            ConfigKey.ofDouble(
                    "init-std",
                    0.01,
                    DoubleRange.positive(),
                    "standard deviation of the normal initialisation of embedding rows");

    public static final ConfigKey<DjlOptions.WaitPolicy> OMP_WAIT_POLICY =
            ConfigKey.ofEnum(
                    "omp-wait-policy",
                    DjlOptions.WaitPolicy.class,
                    DjlOptions.WaitPolicy.PASSIVE,
                    "how PyTorch's OpenMP threads wait (set before the engine loads; the"
                            + " environment's OMP_WAIT_POLICY wins)");

    public static final ConfigKey<Boolean> CLICKED_ROW_SAVINGS =
            ConfigKey.ofBoolean(
                    "clicked-row-savings",
                    true,
                    "run a tower the loss reads only on clicked rows on those rows, and back-propagate"
                            + " a tower whose gradient vanishes elsewhere on them only (same loss and"
                            + " gradients; false: every tower on every row, for comparisons)");

    public static final ConfigKey<String> MF_USER_FIELD =
            ConfigKey.ofString(
                    "mf-user-field",
                    MatrixFactorisation.DEFAULT_USER,
                    "a single-valued field name",
                    "preset mf: the field whose ids are the users (default: 'user', else the first"
                            + " user field)",
                    text -> !text.isBlank());
    public static final ConfigKey<String> MF_ITEM_FIELD =
            ConfigKey.ofString(
                    "mf-item-field",
                    MatrixFactorisation.DEFAULT_ITEM,
                    "a single-valued field name",
                    "preset mf: the field whose ids are the items (default: 'item', else the first"
                            + " item field)",
                    text -> !text.isBlank());

    public static final ConfigKey<Double> EMBEDDING_L2 =
            ConfigKey.ofDouble(
                    "embedding-l2",
                    0.0,
                    DoubleRange.atLeast(0.0),
                    "L2 penalty on the embedding rows each batch reads, added as 2·l2·w to their"
                            + " gradient (0: none)");

    public static final ConfigKey<Double> DROPOUT =
            ConfigKey.ofDouble(
                    "dropout",
                    0.0,
                    DoubleRange.closed(0.0, 0.95),
                    "share of each trained tower's hidden units zeroed per row and step (inverted"
                            + " dropout; masks hashed from the seed, the step and the row's place in"
                            + " the batch, so checkpoints, threads and clicked-row-savings keep the"
                            + " same bytes; 0: none)");

    public static final ConfigKey<Double> GRADIENT_CLIP_NORM =
            ConfigKey.ofDouble(
                    "gradient-clip-norm",
                    0.0,
                    DoubleRange.atLeast(0.0),
                    "largest joint L2 norm of a step's gradients (every trained tower's"
                            + " parameters and the embedding rows the batch read): a step whose"
                            + " gradients are longer is rescaled to it before Adam (0: none)");

    public static final ConfigKey<DenseTransform> DENSE_FEATURES =
            ConfigKey.ofEnum(
                    "dense-features",
                    DenseTransform.class,
                    DenseTransform.LOG_STANDARDISE,
                    "how the schema's dense (real-valued) fields enter the towers: log-standardise"
                            + " (signed log, then standardised with the training data's mean and"
                            + " standard deviation), standardise (raw values standardised), or off"
                            + " (not read)");

    /** Every key the {@code djl} backend accepts. */
    static ConfigKey<String> hiddenSizesKey() {
        return ConfigKey.ofString(
                "hidden-sizes",
                "",
                "widths like 512-256-128-32, each in [1, 65536] (empty: the preset's)",
                "hidden layer widths of every tower (empty: the preset's)",
                text -> {
                    if (text.isEmpty()) {
                        return true;
                    }
                    if (!text.matches("[0-9]+([-,x ][0-9]+)*")) {
                        return false;
                    }
                    for (String part : text.split("[-,x ]")) {
                        if (part.length() > 6) {
                            return false;
                        }
                        long w = Long.parseLong(part);
                        if (w < 1 || w > 65536) {
                            return false;
                        }
                    }
                    return true;
                });
    }
}
