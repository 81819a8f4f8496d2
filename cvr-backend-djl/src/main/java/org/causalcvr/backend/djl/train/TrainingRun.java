package org.causalcvr.backend.djl.train;

import ai.djl.ndarray.NDManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.estimator.Tower;
import org.causalcvr.backend.djl.DjlOptions;
import org.causalcvr.backend.djl.TrainingStats;
import org.causalcvr.backend.djl.checkpoint.Checkpoints;
import org.causalcvr.backend.djl.checkpoint.Cursor;
import org.causalcvr.backend.djl.data.DenseStatistics;
import org.causalcvr.backend.djl.data.FieldLayout;
import org.causalcvr.backend.djl.model.Network;

/**
 * One call of the backend's {@code train}: builds the network (or resumes it from a checkpoint),
 * runs the {@link TrainingLoop} and hands back the trained network with its provenance.
 */
public final class TrainingRun {
    /** A trained network, its provenance and what training cost; the caller owns the network. */
    public record Result(Network network, Provenance provenance, TrainingStats stats) {}

    private final NDManager manager;
    private final DjlOptions options;
    private final TrainingRequest request;
    private final Estimator estimator;
    private final String libraryVersion;
    private final Function<Network, TrainedModel> view;

    /**
     * @param view a model reading {@code network}'s parameters without owning them (for validation)
     */
    public TrainingRun(
            NDManager manager,
            DjlOptions options,
            TrainingRequest request,
            String libraryVersion,
            Function<Network, TrainedModel> view) {
        this.manager = manager;
        this.options = options;
        this.request = request;
        this.estimator = request.estimator();
        this.libraryVersion = libraryVersion;
        this.view = view;
    }

    public Result run() {
        Checkpoints checkpoints = request.checkpointDirectory().map(Checkpoints::new).orElse(null);
        try {
            return run(checkpoints);
        } finally {
            if (checkpoints != null) {
                checkpoints.close();
            }
        }
    }

    private Result run(Checkpoints checkpoints) {
        var schema = request.train().schema();
        Network network;
        Cursor cursor;
        BestSnapshot best = null;
        if (checkpoints != null && checkpoints.exists()) {
            var resumed = checkpoints.resume(manager, provenance(), architecture(), options);
            network = resumed.network();
            cursor = resumed.cursor();
            request.listener()
                    .onNote(
                            "Resuming from checkpoint "
                                    + checkpoints.folder()
                                    + " at step "
                                    + cursor.globalStep()
                                    + " (stage "
                                    + (cursor.stage() + 1)
                                    + ", epoch "
                                    + (cursor.epoch() + 1)
                                    + ", batch "
                                    + cursor.batch()
                                    + ")");
        } else {
            // The dense fields' statistics come from the training data, before the first step;
            // a resumed run takes them from its checkpoint instead.
            var layout =
                    new FieldLayout(
                            schema,
                            options.hashSize(),
                            options.idPolicy(),
                            DenseStatistics.of(request.train(), options.denseFeatures()));
            network =
                    new Network(
                            schema,
                            layout,
                            options.embeddingDim(),
                            options.seed(),
                            options.initStd(),
                            architecture(),
                            manager);
            cursor = Cursor.START;
        }
        try {
            var loop =
                    new TrainingLoop(
                            network, options, request, checkpoints, this::provenance, view);
            if (checkpoints != null && !Double.isNaN(cursor.bestScore())) {
                try (Network saved = checkpoints.readBest(manager)) {
                    best = new BestSnapshot(saved);
                }
            }
            TrainingStats stats = loop.run(cursor, best);
            return new Result(network, provenance(), stats);
        } catch (RuntimeException | Error e) {
            network.close();
            throw e;
        }
    }

    /** The network the estimator's towers and the options describe. */
    private List<Network.TowerArch> architecture() {
        var out = new ArrayList<Network.TowerArch>();
        for (Tower t : estimator.towers()) {
            out.add(
                    new Network.TowerArch(
                            t.name(),
                            t.embeddingGroup(),
                            t.hiddenSizes().orElse(options.hiddenSizes()),
                            t.activation().orElse(options.activation()),
                            t.l2(),
                            options.matrixFactorisation(request.train().schema())));
        }
        return out;
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
                libraryVersion,
                Instant.now().toString());
    }
}
