package org.causalcvr.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TrainingStage;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.api.parallel.ReplicaUpdate;
import org.causalcvr.api.parallel.RoundCursor;
import org.causalcvr.api.parallel.TouchedRows;
import org.causalcvr.api.parallel.TrainingReplica;
import org.causalcvr.backend.djl.checkpoint.Cursor;
import org.causalcvr.backend.djl.checkpoint.ModelFiles;
import org.causalcvr.backend.djl.data.BatchPipeline;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.causalcvr.backend.djl.data.HostBatch;
import org.causalcvr.backend.djl.embedding.EmbeddingTable;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.DenseTransform;
import org.causalcvr.backend.djl.model.Dropout;
import org.causalcvr.backend.djl.model.Network;
import org.causalcvr.backend.djl.step.ClickedRowPlanner;
import org.causalcvr.backend.djl.step.GradientNormClip;
import org.causalcvr.backend.djl.step.StepPlace;
import org.causalcvr.backend.djl.step.TrainingStepRunner;

/**
 * A {@link TrainingReplica} of the DJL backend: the network, its step runner and the open batch
 * stream of the current epoch.
 *
 * <p>Dense state travels as every tower parameter (towers in network order, arrays in tower order),
 * then their first Adam moments, then their second; step counts per tower, then per table. A
 * touched row travels with its weights and both lazy-Adam moments ({@link
 * EmbeddingTable#stateWidth()} floats), so a merged state holds everything a step reads, and a
 * replica rebuilt from a checkpoint continues exactly as one that kept running. A row counts as
 * touched by a step when the step updates it (its table belongs to a trainable tower).
 */
final class DjlReplica implements TrainingReplica {
    private final DjlOptions options;
    private final TrainingRequest request;
    private final Network network;
    private final RoundCursor cursor;
    private final TrainingStepRunner runner;
    private final List<TrainingStage> stages;

    private BatchPipeline pipeline;
    private ExposureSource pipelineSource;
    private long pipelineSeed;
    private int pipelineStage;
    private int pipelineEpoch;
    private long pipelineNext;

    private DjlReplica(
            DjlOptions options, TrainingRequest request, Network network, RoundCursor cursor) {
        this.options = options;
        this.request = request;
        this.network = network;
        this.cursor = cursor;
        this.stages = request.estimator().schedule().stages();
        this.runner =
                new TrainingStepRunner(
                        network,
                        Engine.getEngine(DjlBackend.ENGINE),
                        options.stepSizes(),
                        options.embeddingL2(),
                        new GradientNormClip(options.gradientClipNorm()),
                        new Dropout(options.dropout(), options.seed()),
                        new ClickedRowPlanner(options.clickedRowSavings()),
                        request.estimator().name(),
                        "");
    }

    /** A replica at the initial parameters of {@code request} under {@code backend}'s options. */
    static DjlReplica fresh(DjlBackend backend, TrainingRequest request) {
        DjlOptions o = backend.options();
        var schema = request.train().schema();
        if (!schema.dense().isEmpty() && o.denseFeatures() != DenseTransform.OFF) {
            // Each worker sees only its share of the rows, so statistics computed here would
            // differ between workers; one set from the driver is not wired in yet.
            throw new CvrException(
                    "Data-parallel training does not read dense fields yet ("
                            + request.train().description()
                            + " has "
                            + schema.dense().size()
                            + "); train with --set dense-features=off or on one machine");
        }
        var layout = new FieldLayout(schema, o.hashSize(), o.idPolicy());
        var network =
                new Network(
                        schema,
                        layout,
                        o.embeddingDim(),
                        o.seed(),
                        o.initStd(),
                        architecture(o, request),
                        backend.manager());
        return new DjlReplica(o, request, network, RoundCursor.START);
    }

    /** A replica at the state of the checkpoint folder {@code folder}. */
    static DjlReplica resume(DjlBackend backend, TrainingRequest request, Path folder) {
        DjlOptions o = backend.options();
        ModelFiles.Contents c = ModelFiles.read(folder, backend.manager(), true);
        String problem = null;
        Provenance p = c.provenance();
        if (!p.estimator().equals(request.estimator().name())) {
            problem = "estimator '" + p.estimator() + "'";
        } else if (!p.schema().equals(request.train().schema().describe())) {
            problem = "schema '" + p.schema() + "'";
        } else if (!p.dataFingerprint().equals(request.train().fingerprint())) {
            problem = "data '" + p.dataFingerprint() + "'";
        } else if (p.seed() != o.seed()) {
            problem = "seed " + p.seed();
        } else if (!c.network().architecture.equals(architecture(o, request))) {
            problem = "towers " + c.network().architecture;
        }
        if (problem != null) {
            c.network().close();
            throw new CvrException(
                    "Checkpoint "
                            + folder
                            + " was written by another training ("
                            + problem
                            + "); refusing to resume from it");
        }
        Cursor k = c.cursor();
        return new DjlReplica(
                o, request, c.network(), new RoundCursor(k.stage(), k.batch(), k.rowsTrained()));
    }

    private static List<Network.TowerArch> architecture(DjlOptions o, TrainingRequest request) {
        var out = new ArrayList<Network.TowerArch>();
        for (Tower t : request.estimator().towers()) {
            out.add(
                    new Network.TowerArch(
                            t.name(),
                            t.embeddingGroup(),
                            t.hiddenSizes().orElse(o.hiddenSizes()),
                            t.activation().orElse(o.activation()),
                            t.l2(),
                            o.matrixFactorisation(request.train().schema())));
        }
        return out;
    }

    @Override
    public int stages() {
        return stages.size();
    }

    @Override
    public long batchesPerEpoch(long rows) {
        return (rows + options.batchSize() - 1) / options.batchSize();
    }

    @Override
    public int epochs() {
        return options.epochs();
    }

    @Override
    public RoundCursor cursor() {
        return cursor;
    }

    @Override
    public ReplicaUpdate train(
            ExposureSource rows, int stage, long from, long count, long dataSeed) {
        if (stage < 0 || stage >= stages.size() || from < 0 || count < 0) {
            throw new IllegalArgumentException(
                    "stage " + stage + ", from " + from + ", count " + count);
        }
        if (options.threads() > 0) {
            // OpenMP's thread count is a property of the calling thread: a Spark task runs on
            // any thread of the executor's pool, and a matrix multiply split over another number
            // of threads sums in another order (different bytes for the same seed).
            ai.djl.pytorch.jni.JniUtils.setNumThreads(options.threads());
        }
        long perEpoch = batchesPerEpoch(rows.rowCount().orElseThrow());
        long end = Math.min(from + count, perEpoch * options.epochs());
        TrainingStage s = stages.get(stage);
        Map<String, Map<Integer, Integer>> touched = new LinkedHashMap<>();
        network.tables.keySet().forEach(g -> touched.put(g, new HashMap<>()));
        long trained = 0;
        for (long p = from; p < end; p++) {
            int epoch = (int) (p / perEpoch);
            long inEpoch = p % perEpoch;
            openStream(rows, stage, epoch, p, inEpoch, dataSeed);
            HostBatch batch = pipeline.take();
            if (batch == null) {
                throw new IllegalStateException(
                        "the batch stream of " + rows.description() + " ended early");
            }
            try {
                if (batch.size > 0) {
                    TrainingStep step = s.steps().get((int) (inEpoch % s.steps().size()));
                    runner.step(
                            batch,
                            step,
                            new StepPlace(
                                    s.name(),
                                    step.name(),
                                    epoch,
                                    p,
                                    p,
                                    perEpoch * options.epochs()));
                    for (String g : trainedGroups(step)) {
                        Map<Integer, Integer> counts = touched.get(g);
                        for (int u = 0; u < batch.uniqueCount; u++) {
                            counts.merge(batch.uniqueRows[u], 1, Integer::sum);
                        }
                    }
                    trained += batch.size;
                }
            } finally {
                pipeline.release(batch);
            }
            pipelineNext = p + 1;
            if (inEpoch == perEpoch - 1) {
                closeStream();
            }
        }
        return export(trained, touched);
    }

    /** The tables whose rows {@code step} updates (those of its trainable towers that it runs). */
    private Set<String> trainedGroups(TrainingStep step) {
        Set<String> groups = new LinkedHashSet<>();
        for (var e : network.towers.entrySet()) {
            if (step.objective().towers().contains(e.getKey())
                    && step.trainableTowers().contains(e.getKey())) {
                groups.add(e.getValue().group);
            }
        }
        return groups;
    }

    private void openStream(
            ExposureSource rows, int stage, int epoch, long position, long inEpoch, long seed) {
        if (pipeline != null
                && pipelineSource == rows
                && pipelineSeed == seed
                && pipelineStage == stage
                && pipelineEpoch == epoch
                && pipelineNext == position) {
            return;
        }
        closeStream();
        pipeline =
                new BatchPipeline(
                        rows,
                        network.layout,
                        options.batchSize(),
                        options.shuffleRows(),
                        request.estimator().unclickedSamplingRate(),
                        options.unclickedSampling() == DjlOptions.UnclickedSampling.WEIGHT,
                        FieldLayout.mix(seed, 7919L * stage + epoch + 1),
                        options.prefetchBatches(),
                        inEpoch);
        pipelineSource = rows;
        pipelineSeed = seed;
        pipelineStage = stage;
        pipelineEpoch = epoch;
        pipelineNext = position;
    }

    private void closeStream() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    private ReplicaUpdate export(long weight, Map<String, Map<Integer, Integer>> touched) {
        List<float[]> parts = new ArrayList<>();
        for (DenseTower t : network.towers.values()) {
            for (NDArray a : t.params) {
                parts.add(a.toFloatArray());
            }
        }
        for (DenseTower t : network.towers.values()) {
            for (NDArray a : t.firstMoments) {
                parts.add(a.toFloatArray());
            }
        }
        for (DenseTower t : network.towers.values()) {
            for (NDArray a : t.secondMoments) {
                parts.add(a.toFloatArray());
            }
        }
        int size = 0;
        for (float[] p : parts) {
            size += p.length;
        }
        float[] dense = new float[size];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, dense, at, p.length);
            at += p.length;
        }
        List<TouchedRows> tables = new ArrayList<>();
        for (var e : network.tables.entrySet()) {
            Map<Integer, Integer> counts = touched.get(e.getKey());
            int[] ids = new int[counts.size()];
            int n = 0;
            for (int id : counts.keySet()) {
                ids[n++] = id;
            }
            Arrays.sort(ids);
            int[] touches = new int[n];
            for (int i = 0; i < n; i++) {
                touches[i] = counts.get(ids[i]);
            }
            EmbeddingTable table = e.getValue();
            float[] values = new float[n * table.stateWidth()];
            table.exportRows(ids, n, values);
            tables.add(new TouchedRows(e.getKey(), table.stateWidth(), ids, values, touches));
        }
        return new ReplicaUpdate(weight, steps(), dense, tables);
    }

    private long[] steps() {
        long[] out = new long[network.towers.size() + network.tables.size()];
        int i = 0;
        for (DenseTower t : network.towers.values()) {
            out[i++] = t.steps;
        }
        for (EmbeddingTable t : network.tables.values()) {
            out[i++] = t.steps();
        }
        return out;
    }

    @Override
    public void apply(ReplicaUpdate merged) {
        long[] steps = merged.steps();
        if (steps.length != network.towers.size() + network.tables.size()) {
            throw new IllegalArgumentException(
                    "A merged state of "
                            + steps.length
                            + " step counts, expected "
                            + steps().length);
        }
        float[] dense = merged.dense();
        int expected = 0;
        for (DenseTower t : network.towers.values()) {
            for (NDArray a : t.params) {
                expected += 3 * (int) a.size();
            }
        }
        if (dense.length != expected) {
            throw new IllegalArgumentException(
                    "A merged state of " + dense.length + " dense values, expected " + expected);
        }
        int[] at = {0};
        for (DenseTower t : network.towers.values()) {
            for (NDArray a : t.params) {
                DenseTower.assign(a, slice(dense, at, a));
            }
        }
        for (DenseTower t : network.towers.values()) {
            for (NDArray a : t.firstMoments) {
                DenseTower.assign(a, slice(dense, at, a));
            }
        }
        for (DenseTower t : network.towers.values()) {
            for (NDArray a : t.secondMoments) {
                DenseTower.assign(a, slice(dense, at, a));
            }
        }
        int i = 0;
        for (DenseTower t : network.towers.values()) {
            t.steps = steps[i++];
        }
        for (EmbeddingTable t : network.tables.values()) {
            t.setSteps(steps[i++]);
        }
        for (TouchedRows rows : merged.tables()) {
            EmbeddingTable table = network.tables.get(rows.table());
            if (table == null || rows.width() != table.stateWidth()) {
                throw new IllegalArgumentException(
                        "A merged state of table '" + rows.table() + "' this network lacks");
            }
            table.importRows(rows.ids(), rows.size(), rows.values());
        }
    }

    private static float[] slice(float[] dense, int[] at, NDArray a) {
        int n = (int) a.size();
        float[] out = Arrays.copyOfRange(dense, at[0], at[0] + n);
        at[0] += n;
        return out;
    }

    @Override
    public void checkpoint(Path folder, RoundCursor at) {
        ModelFiles.write(
                folder,
                network,
                provenance(),
                options.hashSize(),
                options.idPolicy(),
                new Cursor(
                        at.stage(),
                        0,
                        at.round(),
                        at.round(),
                        at.rowsTrained(),
                        at.rowsTrained(),
                        Double.NaN,
                        0,
                        false));
    }

    @Override
    public TrainedModel model() {
        return new DjlTrainedModel(
                network,
                provenance(),
                options.hashSize(),
                options.idPolicy(),
                TrainingStats.NONE,
                false);
    }

    private Provenance provenance() {
        return new Provenance(
                request.estimator().name(),
                request.estimator().config().asStrings(),
                "djl",
                options.effective(),
                options.seed(),
                request.train().fingerprint(),
                request.train().schema().describe(),
                DjlBackend.libraryVersion(),
                Instant.now().toString());
    }

    @Override
    public void close() {
        closeStream();
        network.close();
    }
}
