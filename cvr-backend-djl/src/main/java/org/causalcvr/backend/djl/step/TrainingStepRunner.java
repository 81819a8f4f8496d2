package org.causalcvr.backend.djl.step;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.DataException;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerOutputs;
import org.causalcvr.api.estimator.TrainingStep;
import org.causalcvr.backend.djl.data.HostBatch;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.Dropout;
import org.causalcvr.backend.djl.model.Network;

/**
 * One optimisation step on one batch: the forward pass of the step objective's towers (frozen ones
 * detached, each on the rows the objective declares it needs), the loss, the guard against a
 * non-finite loss, the backward pass, the optional clipping of the gradients' joint norm ({@link
 * GradientNormClip}), Adam on the trainable towers and lazy Adam on the gathered embedding rows of
 * their tables.
 *
 * <p>DJL's PyTorch engine lets one gradient collector record at a time in a JVM, so the recorded
 * part of a step (forward, loss, backward) holds a JVM-wide lock: two trainings in one process
 * interleave their steps instead of failing. Everything else (batch assembly, optimizer updates,
 * checkpoints, validation) runs side by side.
 */
public final class TrainingStepRunner {
    /** Adam's β1. */
    public static final double BETA1 = 0.9;

    /** Adam's β2. */
    public static final double BETA2 = 0.999;

    /** Adam's ε. */
    public static final double EPSILON = 1e-8;

    private static final ReentrantLock GRADIENT_RECORDING = new ReentrantLock();

    private final Network network;
    private final Engine engine;
    private final StepSizeSchedule stepSizes;
    private final double embeddingL2;
    private final GradientNormClip clip;
    private final Dropout dropout;
    private final ClickedRowPlanner planner;
    private final String estimatorName;
    private final String keptNote;
    private float[] scratch = new float[0];
    private long clippedSteps;
    private double largestGradientNorm = Double.NaN;

    /**
     * @param keptNote appended to the non-finite-loss error (what was kept), or empty
     */
    public TrainingStepRunner(
            Network network,
            Engine engine,
            double learningRate,
            ClickedRowPlanner planner,
            String estimatorName,
            String keptNote) {
        this(
                network,
                engine,
                StepSizeSchedule.constant(learningRate),
                0.0,
                GradientNormClip.NONE,
                null,
                planner,
                estimatorName,
                keptNote);
    }

    /**
     * @param stepSizes the step size of each step, from its place ({@link StepSizeSchedule#at})
     * @param embeddingL2 L2 penalty on the embedding rows of each batch (see {@link
     *     org.causalcvr.backend.djl.embedding.EmbeddingTable#adamStep(int[], int, float[], double,
     *     double, double, double, double)})
     * @param clip the bound on the joint norm of each step's gradients
     * @param dropout dropout on the hidden units of the towers a step trains (null: none)
     * @param keptNote appended to the non-finite-loss error (what was kept), or empty
     */
    public TrainingStepRunner(
            Network network,
            Engine engine,
            StepSizeSchedule stepSizes,
            double embeddingL2,
            GradientNormClip clip,
            Dropout dropout,
            ClickedRowPlanner planner,
            String estimatorName,
            String keptNote) {
        this.stepSizes = stepSizes;
        this.dropout = dropout == null || dropout.rate() == 0 ? null : dropout;
        this.network = network;
        this.engine = engine;
        this.embeddingL2 = embeddingL2;
        this.clip = clip;
        if (clip.enabled()) {
            largestGradientNorm = 0;
        }
        this.planner = planner;
        this.estimatorName = estimatorName;
        this.keptNote = keptNote;
    }

    /**
     * Trains on {@code batch} with {@code step}'s objective and returns the loss terms' values (and
     * {@code total}).
     *
     * @throws CvrException before any parameter moves, if a loss term is NaN or infinite
     */
    public Map<String, Double> step(HostBatch batch, TrainingStep step, StepPlace place) {
        // The objective's towers() include what its propensity and imputation read (the
        // estimator validates them); other towers need no forward pass in this step. Towers run
        // in the network's order, never in the order of the objective's set: the order in which
        // towers are recorded is the order in which their gradients add up in a shared embedding,
        // and Set.of's iteration order changes from one JVM to the next.
        Set<String> run = new LinkedHashSet<>(network.towers.keySet());
        run.retainAll(step.objective().towers());
        Set<String> trainTowers = new LinkedHashSet<>(run);
        trainTowers.retainAll(step.trainableTowers());
        Set<String> trainGroups = new LinkedHashSet<>();
        for (String t : trainTowers) {
            trainGroups.add(network.towers.get(t).group);
        }
        int need = network.scratchSize(batch);
        if (scratch.length < need) {
            scratch = new float[need];
        }
        int n = batch.size;
        double stepSize = stepSizes.at(place);
        planner.plan(batch);
        var values = new LinkedHashMap<String, Double>();
        try (NDScope scope = new NDScope();
                NDManager sm = network.manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            Map<String, Network.Features> features = new HashMap<>();
            GRADIENT_RECORDING.lock();
            try (GradientCollector collector = engine.newGradientCollector()) {
                Map<String, NDArray> logits = new LinkedHashMap<>();
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
                    logits.put(
                            t,
                            planner.forward(
                                    tower,
                                    f.input(),
                                    trainTowers.contains(t),
                                    step.objective().rowUse(t),
                                    dropout != null && trainTowers.contains(t)
                                            ? dropout.forTower(t)
                                            : null,
                                    sm));
                }
                ObjectiveInput<NDArray> input =
                        ObjectiveInput.of(
                                column(sm, batch.clicks, n),
                                column(sm, batch.conversions, n),
                                new TowerOutputs<>(logits));
                if (batch.truePropensity != null) {
                    input = input.withTruePropensity(column(sm, batch.truePropensity, n));
                }
                if (batch.propensity != null) {
                    input = input.withPropensity(column(sm, batch.propensity, n));
                }
                if (batch.rowWeights != null) {
                    input = input.withRowWeights(column(sm, batch.rowWeights, n));
                }
                var ops = new NDArrayOps(sm);
                LossTerms<NDArray> loss;
                try {
                    loss = step.objective().loss(ops, input);
                } catch (DataException e) {
                    // A column the objective needs is missing: name the data it was read from.
                    throw new DataException(batch.source + ", " + e.getMessage(), e);
                }
                for (var term : loss.terms().entrySet()) {
                    values.put(
                            term.getKey(),
                            finite(term.getKey(), ops.value(term.getValue()), place));
                }
                values.putIfAbsent("total", finite("total", ops.value(loss.total()), place));
                collector.backward(loss.total());
            } finally {
                GRADIENT_RECORDING.unlock();
            }
            Map<String, float[]> embeddingGradients = new LinkedHashMap<>();
            for (String g : trainGroups) {
                embeddingGradients.put(g, features.get(g).leaf().getGradient().toFloatArray());
            }
            if (clip.enabled()) {
                clipGradients(trainTowers, embeddingGradients);
            }
            for (String t : trainTowers) {
                network.towers.get(t).adamStep(stepSize, BETA1, BETA2, EPSILON);
            }
            for (String g : trainGroups) {
                Network.Features f = features.get(g);
                float[] grad = embeddingGradients.get(g);
                network.tables
                        .get(g)
                        .adamStepAtSlots(
                                f.slots(),
                                batch.uniqueCount,
                                grad,
                                stepSize,
                                BETA1,
                                BETA2,
                                EPSILON,
                                embeddingL2);
            }
        }
        return values;
    }

    /** Steps whose gradients the clip rescaled (0 without a clip). */
    public long clippedSteps() {
        return clippedSteps;
    }

    /**
     * The largest finite joint gradient norm of a step, before clipping; NaN without a clip, which
     * is what computes it.
     */
    public double largestGradientNorm() {
        return largestGradientNorm;
    }

    /** Rescales the step's gradients in place so that their joint norm is within the bound. */
    private void clipGradients(Set<String> trainTowers, Map<String, float[]> embeddingGradients) {
        List<NDArray> towerGradients = new ArrayList<>();
        try {
            for (String t : trainTowers) {
                for (NDArray p : network.towers.get(t).params) {
                    towerGradients.add(p.getGradient());
                }
            }
            double norm = clip.apply(towerGradients, List.copyOf(embeddingGradients.values()));
            if (clip.binds(norm)) {
                clippedSteps++;
            }
            if (Double.isFinite(norm)) {
                largestGradientNorm = Math.max(largestGradientNorm, norm);
            }
        } finally {
            towerGradients.forEach(NDArray::close);
        }
    }

    private static NDArray column(NDManager sm, float[] values, int n) {
        return sm.create(FloatBuffer.wrap(values, 0, n), new Shape(n));
    }

    private double finite(String term, double value, StepPlace place) {
        if (Double.isFinite(value)) {
            return value;
        }
        throw new CvrException(
                "Estimator "
                        + estimatorName
                        + ": loss term '"
                        + term
                        + "' is "
                        + value
                        + " at step "
                        + (place.globalStep() + 1)
                        + " (stage "
                        + place.stage()
                        + ", step "
                        + place.step()
                        + ", epoch "
                        + place.epoch()
                        + "); training stopped"
                        + keptNote);
    }
}
