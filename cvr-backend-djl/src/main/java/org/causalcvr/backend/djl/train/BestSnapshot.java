package org.causalcvr.backend.djl.train;

import java.util.HashMap;
import java.util.Map;
import org.causalcvr.backend.djl.embedding.EmbeddingTable;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.Network;

/** The parameters at the best validation score, kept in memory for early stopping. */
final class BestSnapshot {
    private final Map<String, float[][]> towers = new HashMap<>();
    private final Map<String, EmbeddingTable> tables = new HashMap<>();

    BestSnapshot(Network net) {
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

    /** Puts the snapshot's parameters into {@code net}. */
    void restore(Network net) {
        net.towers.forEach(
                (name, t) -> {
                    float[][] copy = towers.get(name);
                    for (int i = 0; i < copy.length; i++) {
                        DenseTower.assign(t.params[i], copy[i]);
                    }
                });
        net.tables.replaceAll((g, t) -> tables.get(g));
    }
}
