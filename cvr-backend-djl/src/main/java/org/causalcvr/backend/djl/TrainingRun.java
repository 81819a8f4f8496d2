package org.causalcvr.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.estimator.TrainingStage;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.api.io.AtomicFolders;

/** One call of {@link DjlBackend#train}: the schedule, the steps, validation and checkpoints. */
final class TrainingRun {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private static final String CHECKPOINT = "checkpoint";

    private final DjlBackend backend;
    private final DjlOptions options;
    private final TrainingRequest request;
    private final Estimator estimator;
    private final Path checkpointDir;
    private Network network;
    private ModelFiles.Cursor cursor;
    private float[] scratch = new float[0];
    private final Map<Objective, Set<String>> clickedOnlyTowers = new IdentityHashMap<>();
    private int[] clickedRows = new int[0];
    private final Map<Objective, Set<String>> gradientOnClickedTowers = new IdentityHashMap<>();
    private int[] rowSlots = new int[0];
    private int[] mixedSlots = new int[0];
    private long steps;
    private long rowsRead;
    private long rowsTrained;
    private long trainNanos;
    private long waitNanos;
    private long checkpointNanos;
    private Snapshot best;
    private boolean staleTempsDeleted;

    TrainingRun(DjlBackend backend, DjlOptions options, TrainingRequest request) {
        this.backend = backend;
        this.options = options;
        this.request = request;
        this.estimator = request.estimator();
        this.checkpointDir =
                request.checkpointDirectory().map(d -> d.resolve(CHECKPOINT)).orElse(null);
    }

    DjlTrainedModel run() {
        var schema = request.train().schema();
        var layout = new FieldLayout(schema, options.hashSize(), options.idPolicy());
        if (checkpointDir != null) {
            // Refuse a foreign folder before any work; an empty one starts afresh.
            AtomicFolders.requireReplaceable(checkpointDir, ModelFiles.CHECKPOINT);
        }
        if (checkpointDir != null && Files.isRegularFile(checkpointDir.resolve(ModelFiles.JSON))) {
            resume(layout);
        } else {
            network =
                    new Network(
                            schema,
                            layout,
                            options.embeddingDim(),
                            options.seed(),
                            options.initStd(),
                            architecture(),
                            backend.manager());
            cursor = new ModelFiles.Cursor(0, 0, 0, 0, 0, 0, Double.NaN, 0, false);
        }
        try {
            loop();
            if (best != null) {
                best.restore(network);
            }
            return new DjlTrainedModel(
                    network,
                    provenance(),
                    options.hashSize(),
                    options.idPolicy(),
                    new TrainingStats(
                            steps,
                            rowsRead,
                            rowsTrained,
                            trainNanos / 1e9,
                            waitNanos / 1e9,
                            checkpointNanos / 1e9),
                    true);
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
    }

    private List<Network.TowerArch> architecture() {
        var out = new ArrayList<Network.TowerArch>();
        for (Tower t : estimator.towers()) {
            double l2 =
                    t.l2() + (TowerNames.IMPUTATION.equals(t.name()) ? options.l2Imputation() : 0);
            out.add(
                    new Network.TowerArch(
                            t.name(),
                            t.embeddingGroup(),
                            t.hiddenSizes().orElse(options.hiddenSizes()),
                            t.activation().orElse(options.activation()),
                            l2,
                            options.matrixFactorisation(request.train().schema())));
        }
        return out;
    }

    private void resume(FieldLayout layout) {
        ModelFiles.Contents c = ModelFiles.read(checkpointDir, backend.manager(), true);
        Provenance p = c.provenance();
        String schema = request.train().schema().describe();
        String problem = null;
        if (!p.estimator().equals(estimator.name())) {
            problem =
                    "was written for estimator '"
                            + p.estimator()
                            + "', not '"
                            + estimator.name()
                            + "'";
        } else if (!p.schema().equals(schema)) {
            problem = "was written for schema '" + p.schema() + "', the data has '" + schema + "'";
        } else if (!p.estimatorConfig().equals(estimator.config().asStrings())) {
            problem =
                    "was written with estimator config "
                            + p.estimatorConfig()
                            + ", not "
                            + estimator.config().asStrings();
        } else if (!c.network().architecture.equals(architecture())
                || c.network().embeddingDim != options.embeddingDim()
                || c.hashSize() != options.hashSize()
                || c.idPolicy() != options.idPolicy()
                || c.network().seed != options.seed()) {
            problem =
                    "was written for another network (embedding-dim, hidden-sizes, activation,"
                            + " hash-size, id-policy or seed differ): "
                            + p.backendConfig();
        }
        if (problem != null) {
            c.network().close();
            throw new CvrException(
                    "Checkpoint " + checkpointDir + " " + problem + "; refusing to resume");
        }
        network = c.network();
        cursor = c.cursor();
    }

    private void loop() {
        List<TrainingStage> stages = estimator.schedule().stages();
        long globalStep = cursor.globalStep();
        rowsRead = cursor.rowsRead();
        rowsTrained = cursor.rowsTrained();
        double bestScore = cursor.bestScore();
        int badEpochs = cursor.badEpochs();
        boolean stopped = cursor.earlyStopped();
        long total =
                request.train().rowCount().isPresent()
                        ? request.train().rowCount().getAsLong() * options.epochs() * stages.size()
                        : -1;
        var engine = Engine.getEngine(DjlBackend.ENGINE);
        for (int s = cursor.stage(); s < stages.size() && !stopped; s++) {
            TrainingStage stage = stages.get(s);
            boolean lastStage = s == stages.size() - 1;
            int firstEpoch = s == cursor.stage() ? cursor.epoch() : 0;
            for (int epoch = firstEpoch; epoch < options.epochs() && !stopped; epoch++) {
                long skip = s == cursor.stage() && epoch == cursor.epoch() ? cursor.batch() : 0;
                long batchInEpoch = skip;
                long windowStart = System.nanoTime();
                long windowRows = 0;
                Map<String, Double> lastLosses = Map.of();
                long seed = FieldLayout.mix(options.seed(), 7919L * s + epoch + 1);
                try (var pipeline =
                        new BatchPipeline(
                                request.train(),
                                network.layout,
                                options.batchSize(),
                                options.shuffleRows(),
                                estimator.unclickedSamplingRate(),
                                seed,
                                options.prefetchBatches(),
                                skip)) {
                    long loopStart = System.nanoTime();
                    long paused = 0;
                    while (true) {
                        HostBatch batch = pipeline.take();
                        if (batch == null) {
                            break;
                        }
                        batchInEpoch++;
                        rowsRead += batch.sourceRows;
                        windowRows += batch.sourceRows;
                        if (batch.size > 0) {
                            TrainingStep step =
                                    stage.steps()
                                            .get((int) ((batchInEpoch - 1) % stage.steps().size()));
                            lastLosses = step(engine, batch, step, stage, epoch, globalStep);
                            rowsTrained += batch.size;
                            globalStep++;
                            steps++;
                        }
                        pipeline.release(batch);
                        long pauseStart = System.nanoTime();
                        if (globalStep > 0
                                && batch.size > 0
                                && globalStep % options.progressEvery() == 0) {
                            double secs = (System.nanoTime() - windowStart) / 1e9;
                            request.listener()
                                    .onProgress(
                                            new TrainingProgress(
                                                    stage.name(),
                                                    epoch,
                                                    globalStep,
                                                    rowsRead,
                                                    total,
                                                    secs > 0 ? windowRows / secs : 0,
                                                    lastLosses));
                            windowStart = System.nanoTime();
                            windowRows = 0;
                        }
                        if (checkpointDir != null
                                && options.checkpointEvery() > 0
                                && batch.size > 0
                                && globalStep % options.checkpointEvery() == 0) {
                            checkpoint(
                                    new ModelFiles.Cursor(
                                            s,
                                            epoch,
                                            batchInEpoch,
                                            globalStep,
                                            rowsRead,
                                            rowsTrained,
                                            bestScore,
                                            badEpochs,
                                            false));
                        }
                        paused += System.nanoTime() - pauseStart;
                    }
                    trainNanos += System.nanoTime() - loopStart - paused;
                    waitNanos += pipeline.waitNanos();
                }
                if (lastStage && request.validation().isPresent()) {
                    double score = validate();
                    ValidationScore metric = request.validationScore().orElse(null);
                    request.listener().onEpochEnd(stage.name(), epoch, score);
                    if (metric != null) {
                        boolean better =
                                Double.isNaN(bestScore)
                                        || (metric.higherIsBetter()
                                                ? score > bestScore
                                                : score < bestScore);
                        if (better) {
                            bestScore = score;
                            badEpochs = 0;
                            best = new Snapshot(network);
                        } else if (++badEpochs >= options.patience()) {
                            stopped = true;
                        }
                    }
                } else {
                    request.listener().onEpochEnd(stage.name(), epoch, Double.NaN);
                }
                if (checkpointDir != null) {
                    checkpoint(
                            new ModelFiles.Cursor(
                                    s,
                                    epoch + 1,
                                    0,
                                    globalStep,
                                    rowsRead,
                                    rowsTrained,
                                    bestScore,
                                    badEpochs,
                                    stopped));
                }
            }
        }
    }

    private double validate() {
        var view =
                new DjlTrainedModel(
                        network,
                        provenance(),
                        options.hashSize(),
                        options.idPolicy(),
                        TrainingStats.NONE,
                        false);
        ValidationScore metric = request.validationScore().orElse(null);
        if (metric == null) {
            return Double.NaN;
        }
        return metric.score(view, request.validation().get());
    }

    private void checkpoint(ModelFiles.Cursor at) {
        long t0 = System.nanoTime();
        if (!staleTempsDeleted) {
            AtomicFolders.deleteStaleStaging(checkpointDir);
            staleTempsDeleted = true;
        }
        ModelFiles.write(
                checkpointDir, network, provenance(), options.hashSize(), options.idPolicy(), at);
        checkpointNanos += System.nanoTime() - t0;
    }

    /** One optimisation step; returns the loss terms' values. */
    private Map<String, Double> step(
            Engine engine,
            HostBatch batch,
            TrainingStep step,
            TrainingStage stage,
            int epoch,
            long globalStep) {
        // The objective's towers() include what its propensity and imputation read (the
        // estimator validates them); other towers need no forward pass in this step.
        Set<String> run = new LinkedHashSet<>(step.objective().towers());
        run.retainAll(network.towers.keySet());
        Set<String> trainTowers = new LinkedHashSet<>(step.trainableTowers());
        trainTowers.retainAll(run);
        Set<String> trainGroups = new LinkedHashSet<>();
        for (String t : trainTowers) {
            trainGroups.add(network.towers.get(t).group);
        }
        int need = network.scratchSize(batch);
        if (scratch.length < need) {
            scratch = new float[need];
        }
        int n = batch.size;
        Set<String> clickedOnly =
                clickedOnlyTowers.computeIfAbsent(
                        step.objective(),
                        o ->
                                ClickedRows.towersReadOnClickedRows(
                                        o, network.towers.keySet(), batch.truePropensity != null));
        Set<String> gradientOnClicked =
                gradientOnClickedTowers.computeIfAbsent(
                        step.objective(),
                        o -> {
                            Set<String> rest = new LinkedHashSet<>(network.towers.keySet());
                            rest.removeAll(clickedOnly);
                            return ClickedRows.towersWithGradientOnClickedRowsOnly(
                                    o,
                                    network.towers.keySet(),
                                    rest,
                                    batch.truePropensity != null,
                                    engine,
                                    network.manager);
                        });
        if (options.clickedRowSavings()) {
            indexClickedRows(batch);
        } else {
            clickedRows = new int[0];
        }
        var values = new LinkedHashMap<String, Double>();
        try (NDScope scope = new NDScope();
                NDManager sm = network.manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            Map<String, Network.Features> features = new HashMap<>();
            Map<String, NDArray> logits = new LinkedHashMap<>();
            try (GradientCollector collector = engine.newGradientCollector()) {
                for (String t : run) {
                    DenseTower tower = network.towers.get(t);
                    Network.Features f =
                            features.computeIfAbsent(
                                    tower.group,
                                    g ->
                                            network.features(
                                                    batch,
                                                    g,
                                                    trainGroups.contains(g),
                                                    sm,
                                                    scratch));
                    boolean trainable = trainTowers.contains(t);
                    if (clickedOnly.contains(t) && clickedRows.length > 0) {
                        logits.put(t, clickedRowsForward(tower, f.input(), trainable, sm, n));
                    } else if (gradientOnClicked.contains(t) && clickedRows.length > 0) {
                        logits.put(t, gradientOnClickedForward(tower, f.input(), trainable, sm, n));
                    } else {
                        logits.put(t, tower.forward(f.input(), trainable));
                    }
                }
                NDArray clicks =
                        sm.create(
                                FloatBuffer.wrap(batch.clicks, 0, n),
                                new ai.djl.ndarray.types.Shape(n));
                NDArray conversions =
                        sm.create(
                                FloatBuffer.wrap(batch.conversions, 0, n),
                                new ai.djl.ndarray.types.Shape(n));
                ObjectiveInput<NDArray> input =
                        ObjectiveInput.of(clicks, conversions, new TowerOutputs<>(logits));
                if (batch.truePropensity != null) {
                    input =
                            input.withTruePropensity(
                                    sm.create(
                                            FloatBuffer.wrap(batch.truePropensity, 0, n),
                                            new ai.djl.ndarray.types.Shape(n)));
                }
                var ops = new NDArrayOps(sm);
                LossTerms<NDArray> loss = step.objective().loss(ops, input);
                for (var term : loss.terms().entrySet()) {
                    double v = ops.value(term.getValue());
                    values.put(term.getKey(), v);
                    if (!Double.isFinite(v)) {
                        throw nonFinite(term.getKey(), v, stage, step, epoch, globalStep);
                    }
                }
                double total = ops.value(loss.total());
                if (!Double.isFinite(total)) {
                    throw nonFinite("total", total, stage, step, epoch, globalStep);
                }
                values.putIfAbsent("total", total);
                collector.backward(loss.total());
            }
            for (String t : trainTowers) {
                network.towers.get(t).adamStep(options.learningRate(), BETA1, BETA2, EPSILON);
            }
            for (String g : trainGroups) {
                float[] grad = features.get(g).leaf().getGradient().toFloatArray();
                network.tables
                        .get(g)
                        .adamStep(
                                batch.uniqueRows,
                                batch.uniqueCount,
                                grad,
                                options.learningRate(),
                                BETA1,
                                BETA2,
                                EPSILON,
                                options.embeddingL2());
            }
        }
        return values;
    }

    /**
     * Fills {@link #clickedRows} with the batch's clicked rows and {@link #rowSlots} with each
     * row's place among them ({@code clickedRows.length} for an unclicked row). Empty when every
     * row or no row is clicked: then a clicked-only tower runs on the whole batch, as it saves
     * nothing.
     */
    private void indexClickedRows(HostBatch batch) {
        int n = batch.size;
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (batch.clicks[i] != 0) {
                c++;
            }
        }
        if (c == 0 || c == n) {
            clickedRows = new int[0];
            return;
        }
        clickedRows = new int[c];
        if (rowSlots.length < n) {
            rowSlots = new int[n];
        }
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (batch.clicks[i] != 0) {
                clickedRows[j] = i;
                rowSlots[i] = j++;
            } else {
                rowSlots[i] = c;
            }
        }
    }

    /**
     * A clicked-only tower's logits for the whole batch: the tower runs on the clicked rows, and
     * the unclicked rows read 0 (the objective multiplies them by o = 0, see {@link ClickedRows}).
     * Both moves are embedding lookups, so gradients flow back to the clicked rows' inputs exactly.
     */
    private NDArray clickedRowsForward(
            DenseTower tower, NDArray input, boolean trainable, NDManager sm, int n) {
        int c = clickedRows.length;
        NDArray pick = sm.create(clickedRows, new ai.djl.ndarray.types.Shape(c));
        NDArray sub = Network.embed(pick, input);
        NDArray logits = tower.forward(sub, trainable).reshape(c, 1);
        NDArray padded =
                ai.djl.ndarray.NDArrays.concat(
                        new ai.djl.ndarray.NDList(
                                logits, sm.zeros(new ai.djl.ndarray.types.Shape(1, 1))),
                        0);
        NDArray slots =
                sm.create(IntBuffer.wrap(rowSlots, 0, n), new ai.djl.ndarray.types.Shape(n));
        return Network.embed(slots, padded).reshape(n);
    }

    /**
     * The logits of a tower whose gradient vanishes on unclicked rows (see {@link ClickedRows}):
     * every row's value from a forward pass that records nothing, and the clicked rows' again from
     * a recorded pass, so that the backward pass (two thirds of a tower's work) covers only the
     * clicked rows. The loss and the gradients are those of a full recorded pass.
     */
    private NDArray gradientOnClickedForward(
            DenseTower tower, NDArray input, boolean trainable, NDManager sm, int n) {
        int c = clickedRows.length;
        NDArray all = tower.forward(input.stopGradient(), false).reshape(n, 1);
        NDArray pick = sm.create(clickedRows, new ai.djl.ndarray.types.Shape(c));
        NDArray clicked = tower.forward(Network.embed(pick, input), trainable).reshape(c, 1);
        NDArray values = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(clicked, all), 0);
        if (mixedSlots.length < n) {
            mixedSlots = new int[n];
        }
        for (int i = 0; i < n; i++) {
            mixedSlots[i] = rowSlots[i] < c ? rowSlots[i] : c + i;
        }
        NDArray slots =
                sm.create(IntBuffer.wrap(mixedSlots, 0, n), new ai.djl.ndarray.types.Shape(n));
        return Network.embed(slots, values).reshape(n);
    }

    private CvrException nonFinite(
            String term,
            double value,
            TrainingStage stage,
            TrainingStep step,
            int epoch,
            long globalStep) {
        return new CvrException(
                "Estimator "
                        + estimator.name()
                        + ": loss term '"
                        + term
                        + "' is "
                        + value
                        + " at step "
                        + (globalStep + 1)
                        + " (stage "
                        + stage.name()
                        + ", step "
                        + step.name()
                        + ", epoch "
                        + epoch
                        + "); training stopped"
                        + (checkpointDir != null
                                ? ", the last good checkpoint in " + checkpointDir + " is kept"
                                : ""));
    }

    private Provenance provenance() {
        return new Provenance(
                estimator.name(),
                estimator.config().asStrings(),
                "djl",
                options.effective(),
                options.seed(),
                request.train().fingerprint(),
                request.train().schema().describe(),
                DjlBackend.libraryVersion(),
                Instant.now().toString());
    }

    /** The parameters at the best validation score, kept in memory for early stopping. */
    private static final class Snapshot {
        private final Map<String, float[][]> towers = new HashMap<>();
        private final Map<String, EmbeddingTable> tables = new HashMap<>();

        Snapshot(Network net) {
            net.towers.forEach(
                    (name, t) -> {
                        float[][] copy = new float[t.params.length][];
                        for (int i = 0; i < copy.length; i++) {
                            copy[i] = t.params[i].toFloatArray();
                        }
                        towers.put(name, copy);
                    });
            net.tables.forEach((g, t) -> tables.put(g, t.copy()));
        }

        void restore(Network net) {
            net.towers.forEach(
                    (name, t) -> {
                        float[][] copy = towers.get(name);
                        for (int i = 0; i < copy.length; i++) {
                            t.params[i].set(copy[i]);
                        }
                    });
            net.tables.replaceAll((g, t) -> tables.get(g));
        }
    }
}
