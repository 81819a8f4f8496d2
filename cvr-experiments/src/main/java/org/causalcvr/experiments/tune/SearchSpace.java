package org.causalcvr.experiments.tune;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.causalcvr.api.config.ConfigException;
import org.causalcvr.api.config.ConfigSchema;

/**
 * The settings a search draws, one {@link Dimension} per key, in order. A draw is a map from key to
 * value text, routed like {@code --set} to the estimator or the backend by which declares it.
 *
 * @param dimensions the searched settings, each key once
 */
public record SearchSpace(List<Dimension> dimensions) {
    public SearchSpace {
        dimensions = List.copyOf(dimensions);
        var keys = new java.util.HashSet<String>();
        for (Dimension d : dimensions) {
            if (!keys.add(d.key())) {
                throw new ConfigException("Option --space names '" + d.key() + "' twice");
            }
        }
    }

    /** Parses {@code --space} items ({@code key=loguniform(1e-4,1e-1)}...). */
    public static SearchSpace parse(List<String> items) {
        return new SearchSpace(items.stream().map(Dimension::parse).toList());
    }

    /**
     * The default space for an estimator on a backend, from the keys their schemas declare: the
     * learning rate log-uniform on [1e-4, 3e-2]; the embedding size among 4, 8, 16, 32; the L2
     * penalties ({@code embedding-l2}, {@code imputation-l2}) log-uniform on [1e-7, 1e-2]; the IPW
     * bound τ% an integer in [0, 90]; λ ({@code undersample-rate}) among 1, 1.5, 2, 4 and all rows.
     * Epochs are not drawn: they are the budget that successive halving grows.
     */
    public static SearchSpace defaultFor(ConfigSchema estimator, ConfigSchema backend) {
        var out = new ArrayList<Dimension>();
        if (backend.key("learning-rate").isPresent()) {
            out.add(new Dimension.LogUniform("learning-rate", 1e-4, 3e-2));
        }
        if (backend.key("embedding-dim").isPresent()) {
            out.add(new Dimension.Choice("embedding-dim", List.of("4", "8", "16", "32")));
        }
        for (String l2 : List.of("embedding-l2", "imputation-l2")) {
            if (backend.key(l2).isPresent() || estimator.key(l2).isPresent()) {
                out.add(new Dimension.LogUniform(l2, 1e-7, 1e-2));
            }
        }
        if (estimator.key("ipw-bound-pct").isPresent()) {
            out.add(new Dimension.IntRange("ipw-bound-pct", 0, 90));
        }
        if (estimator.key("undersample-rate").isPresent()) {
            out.add(
                    new Dimension.Choice(
                            "undersample-rate", List.of("1", "1.5", "2", "4", "Infinity")));
        }
        return new SearchSpace(out);
    }

    /** This space with {@code other}'s dimensions replacing or adding to these, key by key. */
    public SearchSpace with(SearchSpace other) {
        var byKey = new LinkedHashMap<String, Dimension>();
        dimensions.forEach(d -> byKey.put(d.key(), d));
        other.dimensions.forEach(d -> byKey.put(d.key(), d));
        return new SearchSpace(new ArrayList<>(byKey.values()));
    }

    /** One value per dimension, drawn in order from {@code random}. */
    public Map<String, String> draw(SplittableRandom random) {
        var out = new LinkedHashMap<String, String>();
        for (Dimension d : dimensions) {
            out.put(d.key(), d.draw(random));
        }
        return out;
    }

    /** The space as {@code --space} items. */
    public List<String> text() {
        return dimensions.stream().map(Dimension::text).toList();
    }
}
