package org.causalcvr.backend.djl.train;

import ai.djl.engine.Engine;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.backend.ValidationScore;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.estimator.TrainingStage;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.backend.djl.DjlBackend;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.TrainingStats;
import org.causalcvr.backend.djl.checkpoint.Checkpoints;
import org.causalcvr.backend.djl.checkpoint.Cursor;
import org.causalcvr.backend.djl.data.BatchPipeline;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.causalcvr.backend.djl.data.HostBatch;
import org.causalcvr.backend.djl.model.Dropout;
import org.causalcvr.backend.djl.model.Network;
import org.causalcvr.backend.djl.step.ClickedRowPlanner;
import org.causalcvr.backend.djl.step.GradientNormClip;
import org.causalcvr.backend.djl.step.StepPlace;
import org.causalcvr.backend.djl.step.TrainingStepRunner;

/**
 * The schedule: stages, epochs and batches from a {@link Cursor} on, progress reports, validation
 * and early stopping after each epoch of the last stage, and checkpoints every {@code
 * checkpoint-every} steps and at each epoch's end.
 *
 * <p>Batch b of epoch e of stage s comes from a pipeline seeded by (seed, s, e) and is trained with
 * step b mod |steps| of the stage, so a run resumed from a cursor replays exactly the batches an
 * uninterrupted run would have trained next.
 */
final class TrainingLoop {
    private final Network network;
    private final DjlOptions options;
    private final TrainingRequest request;
    private final Checkpoints checkpoints;
    private final Supplier<Provenance> provenance;
    private final Function<Network, TrainedModel> view;
    private final TrainingStepRunner stepRunner;
    private long steps;
    private long rowsRead;
    private long rowsTrained;
    private long trainNanos;
    private long waitNanos;
    private BestSnapshot best;

    TrainingLoop(
            Network network,
            DjlOptions options,
            TrainingRequest request,
            Checkpoints checkpoints,
            Supplier<Provenance> provenance,
            Function<Network, TrainedModel> view) {
        this.network = network;
        this.options = options;
        this.request = request;
        this.checkpoints = checkpoints;
        this.provenance = provenance;
        this.view = view;
        this.stepRunner =
                new TrainingStepRunner(
                        network,
                        Engine.getEngine(DjlBackend.ENGINE),
                        options.stepSizes(),
                        options.embeddingL2(),
                        new GradientNormClip(options.gradientClipNorm()),
                        new Dropout(options.dropout(), options.seed()),
                        new ClickedRowPlanner(options.clickedRowSavings()),
                        request.estimator().name(),
                        checkpoints == null
                                ? ""
                                : ", the last good checkpoint in "
                                        + checkpoints.folder()
                                        + " is kept");
    }

    /**
     * Trains from {@code from} to the end of the schedule (or early stopping).
     *
     * @param bestSoFar the best-validation parameters of the run being resumed, or null
     */
    TrainingStats run(Cursor from, BestSnapshot bestSoFar) {
        best = bestSoFar;
        List<TrainingStage> stages = request.estimator().schedule().stages();
        long globalStep = from.globalStep();
        rowsRead = from.rowsRead();
        rowsTrained = from.rowsTrained();
        double bestScore = from.bestScore();
        int badEpochs = from.badEpochs();
        boolean stopped = from.earlyStopped();
        long total =
                request.train().rowCount().isPresent()
                        ? request.train().rowCount().getAsLong() * options.epochs() * stages.size()
                        : -1;
        // A step's place in its stage counts batches, so that a step size changing within the
        // stage is a function of where the batch stands and a resumed run steps as an
        // uninterrupted one.
        long batchesPerEpoch = 0;
        if (request.train().rowCount().isPresent()) {
            long rows = request.train().rowCount().getAsLong();
            batchesPerEpoch = (rows + options.batchSize() - 1) / options.batchSize();
        } else if (options.stepSizes().changesWithinStage()) {
            throw new ConfigException(
                    "Config keys 'learning-rate-end' and 'learning-rate-warmup' need training data"
                            + " of a known row count; "
                            + request.train().description()
                            + " has none");
        }
        long batchesPerStage = batchesPerEpoch * options.epochs();
        for (int s = from.stage(); s < stages.size() && !stopped; s++) {
            TrainingStage stage = stages.get(s);
            int firstEpoch = s == from.stage() ? from.epoch() : 0;
            for (int epoch = firstEpoch; epoch < options.epochs() && !stopped; epoch++) {
                long skip = s == from.stage() && epoch == from.epoch() ? from.batch() : 0;
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
                                request.estimator().unclickedSamplingRate(),
                                options.unclickedSampling() == DjlOptions.UnclickedSampling.WEIGHT,
                                seed,
                                options.prefetchBatches(),
                                skip)) {
                    long loopStart = System.nanoTime();
                    long paused = 0;
                    for (HostBatch batch = pipeline.take();
                            batch != null;
                            batch = pipeline.take()) {
                        batchInEpoch++;
                        rowsRead += batch.sourceRows;
                        windowRows += batch.sourceRows;
                        boolean trained = batch.size > 0;
                        if (trained) {
                            TrainingStep step =
                                    stage.steps()
                                            .get((int) ((batchInEpoch - 1) % stage.steps().size()));
                            lastLosses =
                                    stepRunner.step(
                                            batch,
                                            step,
                                            new StepPlace(
                                                    stage.name(),
                                                    step.name(),
                                                    epoch,
                                                    globalStep,
                                                    batchesPerStage == 0
                                                            ? 0
                                                            : epoch * batchesPerEpoch
                                                                    + batchInEpoch
                                                                    - 1,
                                                    batchesPerStage));
                            rowsTrained += batch.size;
                            globalStep++;
                            steps++;
                        }
                        pipeline.release(batch);
                        long pauseStart = System.nanoTime();
                        if (trained && globalStep % options.progressEvery() == 0) {
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
                        if (checkpoints != null
                                && trained
                                && options.checkpointEvery() > 0
                                && globalStep % options.checkpointEvery() == 0) {
                            checkpoints.write(
                                    network,
                                    provenance.get(),
                                    options,
                                    new Cursor(
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
                ValidationScore metric = request.validationScore().orElse(null);
                if (s == stages.size() - 1 && request.validation().isPresent()) {
                    double score =
                            metric == null
                                    ? Double.NaN
                                    : metric.score(view.apply(network), request.validation().get());
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
                            best = new BestSnapshot(network);
                            if (checkpoints != null) {
                                checkpoints.writeBest(network, provenance.get(), options);
                            }
                        } else if (++badEpochs >= options.patience()) {
                            stopped = true;
                        }
                    }
                } else {
                    request.listener().onEpochEnd(stage.name(), epoch, Double.NaN);
                }
                if (checkpoints != null) {
                    checkpoints.write(
                            network,
                            provenance.get(),
                            options,
                            new Cursor(
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
        if (best != null) {
            best.restore(network);
        }
        return new TrainingStats(
                steps,
                rowsRead,
                rowsTrained,
                trainNanos / 1e9,
                waitNanos / 1e9,
                checkpoints == null ? 0 : checkpoints.seconds(),
                stepRunner.clippedSteps(),
                stepRunner.largestGradientNorm());
    }
}
