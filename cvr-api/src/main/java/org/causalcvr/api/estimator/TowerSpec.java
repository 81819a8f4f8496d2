package org.causalcvr.api.estimator;

import java.util.List;
import java.util.Optional;

/**
 * A validated {@link Tower} value.
 *
 * @param name tower name
 * @param embeddingGroup towers with equal groups share embeddings
 * @param hiddenSizes widths overriding the preset's, or empty
 * @param activation activation overriding the preset's, or empty
 * @param l2 L2 penalty on the tower's weights, at least 0
 */
public record TowerSpec(
        String name,
        String embeddingGroup,
        Optional<List<Integer>> hiddenSizes,
        Optional<Activation> activation,
        double l2)
        implements Tower {

    /** The embedding group of the paper's multi-task estimators: one table for all towers. */
    public static final String SHARED = "shared";

    public TowerSpec {
        if (name == null || name.isBlank() || embeddingGroup == null || embeddingGroup.isBlank()) {
            throw new IllegalArgumentException("A tower needs a name and an embedding group");
        }
        hiddenSizes = hiddenSizes.map(List::copyOf);
        hiddenSizes.ifPresent(
                sizes -> {
                    if (sizes.stream().anyMatch(s -> s < 1)) {
                        throw new IllegalArgumentException(
                                "Tower '" + name + "' has a hidden width below 1: " + sizes);
                    }
                });
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException(
                    "Tower '" + name + "' l2 = " + l2 + "; allowed [0, +inf)");
        }
    }

    /** A tower on the shared embedding, with the preset's layers and no L2. */
    public static TowerSpec shared(String name) {
        return new TowerSpec(name, SHARED, Optional.empty(), Optional.empty(), 0.0);
    }

    /** A tower with an embedding table of its own (its group is its name). */
    public static TowerSpec separate(String name) {
        return new TowerSpec(name, name, Optional.empty(), Optional.empty(), 0.0);
    }

    /** This tower with an L2 penalty. */
    public TowerSpec withL2(double penalty) {
        return new TowerSpec(name, embeddingGroup, hiddenSizes, activation, penalty);
    }
}
