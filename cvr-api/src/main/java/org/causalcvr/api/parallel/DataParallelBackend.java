package org.causalcvr.api.parallel;

import java.nio.file.Path;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainingRequest;

/**
 * A backend whose training runs data-parallel: replicas of one training, started from the same
 * initial state, each training on its share of the rows and merged between rounds.
 */
public interface DataParallelBackend extends Backend {
    /**
     * A replica of {@code request}'s training at its initial parameters (the same for every replica
     * of the same request and seed). Only the request's estimator, its data's schema and
     * fingerprint are used; the rows come with each {@link TrainingReplica#train} call.
     */
    TrainingReplica replica(TrainingRequest request);

    /**
     * A replica at the state a {@link TrainingReplica#checkpoint} of the same training wrote.
     *
     * @throws org.causalcvr.api.CvrException if the folder holds another training's state
     */
    TrainingReplica replica(TrainingRequest request, Path checkpoint);
}
