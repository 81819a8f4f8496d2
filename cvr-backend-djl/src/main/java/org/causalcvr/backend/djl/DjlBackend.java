package org.causalcvr.backend.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.FeatureSchema;
import org.causalcvr.api.io.AtomicFolders;
import org.causalcvr.api.parallel.DataParallelBackend;
import org.causalcvr.api.parallel.TrainingReplica;
import org.causalcvr.backend.djl.checkpoint.ModelFiles;
import org.causalcvr.backend.djl.model.DenseInput;
import org.causalcvr.backend.djl.train.TrainingRun;

/**
 * The DJL backend: the shared-embedding multi-task network on the PyTorch engine, trained with
 * lazy-Adam sparse embedding updates and Adam on the towers.
 *
 * <p>The PyTorch native library comes from the {@code pytorch-native-cpu} jar on the class path;
 * nothing is downloaded ({@code ai.djl.offline=true} is set before the engine starts). The device
 * is the first GPU when {@code device=auto} and the engine sees one, else the CPU.
 *
 * <p>{@link #train} resumes from {@code <checkpointDirectory>/checkpoint} when one is there (see
 * {@link TrainingRun}); checkpoints hold every parameter, the Adam moments and step counts, and the
 * cursor (stage, epoch, batch within the epoch, global step, early-stopping state). The input
 * pipeline is deterministic for (seed, stage, epoch), so a resumed run replays the epoch's batches
 * from the cursor and ends where an uninterrupted run ends (on the same device and thread count);
 * the in-memory best-validation snapshot of early stopping is not part of a checkpoint.
 *
 * <p>Progress reports ({@code progress-every} steps) carry every term of the step's objective and
 * {@code total}; their samples and samples/s count rows read from the data (before the
 * under-sampling of unclicked rows). Validation runs after each epoch of the last stage; with a
 * {@link org.causalcvr.api.backend.ValidationScore}, training stops after {@code patience} epochs
 * without improvement and the model returned holds the best epoch's parameters. The under-sampling
 * of an estimator applies to the batches of every stage. PyTorch's thread counts are process-wide:
 * the last backend created sets them.
 */
public final class DjlBackend implements Backend, DataParallelBackend {
    /** The DJL engine the backend runs on. */
    public static final String ENGINE = "PyTorch";

    private final DjlOptions options;
    private final Device device;
    private final NDManager manager;

    DjlBackend(DjlOptions options) {
        this.options = options;
        configureEngine(options);
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new CvrException(
                    "The PyTorch engine did not start offline (is pytorch-native-cpu on the class"
                            + " path?): "
                            + e.getMessage(),
                    e);
        }
        int gpus = engine.getGpuCount();
        device =
                switch (options.device()) {
                    case CPU -> Device.cpu();
                    case GPU -> {
                        if (gpus == 0) {
                            throw new CvrException(
                                    "Config key 'device' = gpu, but the PyTorch engine sees no GPU"
                                            + " (use device=auto or cpu, or the 'gpu' Maven profile)");
                        }
                        yield Device.gpu();
                    }
                    case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
                };
        manager = engine.newBaseManager(device);
    }

    /** The C library's setenv, to configure the OpenMP runtime before PyTorch loads it. */
    private interface CLibrary extends com.sun.jna.Library {
        int setenv(String name, String value, int overwrite);
    }

    private static void configureEngine(DjlOptions options) {
        // MKL and OpenMP may otherwise take fewer threads when the machine is busy, which changes
        // the summation order of a matrix multiply and so the bytes of a model trained with the
        // same seed. Set before the engine loads; the environment's own values win.
        for (String dynamic : new String[] {"MKL_DYNAMIC", "OMP_DYNAMIC"}) {
            if (System.getenv(dynamic) == null) {
                try {
                    com.sun.jna.Native.load("c", CLibrary.class).setenv(dynamic, "FALSE", 0);
                } catch (RuntimeException | UnsatisfiedLinkError e) {
                    // Not fatal: the runtime then keeps its default.
                }
            }
        }
        if (options.ompWaitPolicy() != DjlOptions.WaitPolicy.DEFAULT
                && System.getenv("OMP_WAIT_POLICY") == null) {
            try {
                com.sun.jna.Native.load("c", CLibrary.class)
                        .setenv("OMP_WAIT_POLICY", options.ompWaitPolicy().name(), 0);
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                // Not fatal: the engine then runs with the OpenMP default.
            }
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (options.threads() > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
        }
        if (options.interopThreads() > 0) {
            System.setProperty(
                    "ai.djl.pytorch.num_interop_threads",
                    Integer.toString(options.interopThreads()));
        }
        if (options.threads() > 0) {
            // The engine reads the property once; a backend created later with another count
            // changes the intra-op pool directly.
            try {
                Engine.getEngine(ENGINE);
                ai.djl.pytorch.jni.JniUtils.setNumThreads(options.threads());
            } catch (RuntimeException | UnsatisfiedLinkError ignored) {
                // Reported by the constructor's own engine start.
            }
        }
    }

    /** The resolved options. */
    public DjlOptions options() {
        return options;
    }

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public String device() {
        return device.toString();
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public DjlTrainedModel train(TrainingRequest request) {
        TrainingRun.Result r =
                new TrainingRun(
                                manager,
                                options,
                                request,
                                libraryVersion(),
                                network ->
                                        new DjlTrainedModel(
                                                network,
                                                null,
                                                options.hashSize(),
                                                options.idPolicy(),
                                                TrainingStats.NONE,
                                                false))
                        .run();
        return new DjlTrainedModel(
                r.network(),
                r.provenance(),
                options.hashSize(),
                options.idPolicy(),
                r.stats(),
                true);
    }

    /** A replica for data-parallel training ({@link DjlReplica}). */
    @Override
    public TrainingReplica replica(TrainingRequest request) {
        return DjlReplica.fresh(this, request);
    }

    @Override
    public TrainingReplica replica(TrainingRequest request, Path checkpoint) {
        return DjlReplica.resume(this, request, checkpoint);
    }

    @Override
    public void requireSavable(Path directory) {
        AtomicFolders.requireReplaceable(directory, ModelFiles.MODEL);
    }

    @Override
    public DjlTrainedModel load(Path directory) {
        ModelFiles.Contents c = ModelFiles.read(directory, manager, false);
        return new DjlTrainedModel(
                c.network(), c.provenance(), c.hashSize(), c.idPolicy(), TrainingStats.NONE, true);
    }

    /**
     * Loads a model and checks that it was trained by {@code estimator} on data of {@code schema}.
     *
     * @throws CvrException naming what differs
     */
    public DjlTrainedModel load(Path directory, String estimator, FeatureSchema schema) {
        DjlTrainedModel model = load(directory);
        String problem = null;
        if (!model.provenance().estimator().equals(estimator)) {
            problem =
                    "was trained by estimator '"
                            + model.provenance().estimator()
                            + "', not '"
                            + estimator
                            + "'";
        } else if (DenseInput.difference(model.network().schema, schema).isPresent()) {
            problem =
                    "was trained on other dense fields: the data "
                            + DenseInput.difference(model.network().schema, schema).get();
        } else if (!model.provenance().schema().equals(schema.describe())) {
            problem =
                    "was trained on schema '"
                            + model.provenance().schema()
                            + "', not '"
                            + schema.describe()
                            + "'";
        }
        if (problem != null) {
            model.close();
            throw new CvrException("Model " + directory + " " + problem);
        }
        return model;
    }

    @Override
    public void close() {
        manager.close();
    }

    /** causal-cvr's version, from the build. */
    static String libraryVersion() {
        try (InputStream in = DjlBackend.class.getResourceAsStream("cvr-backend-djl.properties")) {
            if (in == null) {
                return "unknown";
            }
            var p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
