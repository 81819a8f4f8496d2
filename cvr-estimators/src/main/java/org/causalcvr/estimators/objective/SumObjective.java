package org.causalcvr.estimators.objective;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.causalcvr.api.estimator.LossTerms;
import org.causalcvr.api.estimator.Objective;
import org.causalcvr.api.estimator.ObjectiveInput;
import org.causalcvr.api.estimator.TowerRowUse;
import org.causalcvr.api.ops.Ops;

/**
 * The sum of several objectives: the total is the sum of their totals, and the terms are theirs, in
 * order (so Multi-IPW reports {@code ctr} and {@code cvr}, Multi-DR also {@code imputation}). Two
 * parts reporting a term of the same name is an error. Each tower's {@link #rowUse} is the weakest
 * of the parts that read it.
 */
public final class SumObjective implements Objective {
    private final String name;
    private final List<Objective> parts;

    public SumObjective(String name, List<? extends Objective> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Objective '" + name + "' has no part");
        }
        this.name = name;
        this.parts = List.copyOf(parts);
    }

    public List<Objective> parts() {
        return parts;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<String> towers() {
        var towers = new LinkedHashSet<String>();
        parts.forEach(p -> towers.addAll(p.towers()));
        return Set.copyOf(towers);
    }

    /**
     * The weakest declaration among the parts that read {@code tower}: the sum needs the tower on
     * every row that any of its parts needs it on.
     */
    @Override
    public TowerRowUse rowUse(String tower) {
        TowerRowUse weakest = TowerRowUse.CLICKED_ROWS_ONLY;
        boolean read = false;
        for (Objective part : parts) {
            if (part.towers().contains(tower)) {
                read = true;
                TowerRowUse use = part.rowUse(tower);
                if (use.ordinal() < weakest.ordinal()) {
                    weakest = use;
                }
            }
        }
        return read ? weakest : TowerRowUse.ALL_ROWS;
    }

    @Override
    public <T> LossTerms<T> loss(Ops<T> ops, ObjectiveInput<T> input) {
        var terms = new LinkedHashMap<String, T>();
        T total = null;
        for (Objective part : parts) {
            LossTerms<T> loss = part.loss(ops, input);
            for (var term : loss.terms().entrySet()) {
                if (terms.put(term.getKey(), term.getValue()) != null) {
                    throw new IllegalStateException(
                            "Objective '" + name + "' has two terms named '" + term.getKey() + "'");
                }
            }
            total = total == null ? loss.total() : ops.add(total, loss.total());
        }
        return new LossTerms<>(total, terms);
    }
}
