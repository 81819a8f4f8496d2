package org.causalcvr.api.estimator;

import java.util.List;
import java.util.Optional;

/**
 * A task head: an MLP that reads the concatenated field embeddings of a row and outputs one logit
 * per row.
 *
 * <p>Towers whose {@link #embeddingGroup()} is equal read the same embedding table (the paper's
 * shared-embedding multi-task learning); towers in different groups have tables of their own
 * (ESMM-NS, the separately trained propensity model of Naive IPW). Layer widths and activation
 * default to the backend's preset.
 */
public interface Tower {
    /** A name unique within its estimator, such as {@link TowerNames#CVR}. */
    String name();

    /** Towers with the same group share embeddings. */
    String embeddingGroup();

    /** Hidden layer widths, if this tower overrides the preset's. */
    Optional<List<Integer>> hiddenSizes();

    /** The activation, if this tower overrides the preset's. */
    Optional<Activation> activation();

    /** L2 penalty λ·‖W‖² on this tower's weights (0 for none). */
    double l2();
}
