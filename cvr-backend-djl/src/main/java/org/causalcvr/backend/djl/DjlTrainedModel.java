package org.causalcvr.backend.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.nio.file.Path;
import java.util.Arrays;
import org.causalcvr.api.CvrException;
import org.causalcvr.api.backend.Predictions;
import org.causalcvr.api.backend.Provenance;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.data.ExposureBatch;
import org.causalcvr.api.data.ExposureSource;
import org.causalcvr.api.estimator.TowerNames;
import org.causalcvr.api.io.PredictionFiles;
import org.causalcvr.backend.djl.checkpoint.ModelFiles;
import org.causalcvr.backend.djl.data.HostBatch;
import org.causalcvr.backend.djl.data.RowWindow;
import org.causalcvr.backend.djl.model.DenseInput;
import org.causalcvr.backend.djl.model.DenseTower;
import org.causalcvr.backend.djl.model.Network;

/**
 * A model trained or loaded by the DJL backend: pCTR from the {@code ctr} tower and pCVR from the
 * {@code cvr} tower, sigmoid of their logits (pCTR is NaN for estimators without a {@code ctr}
 * tower). Predicting reads the parameters only, so several threads may predict at once; close the
 * model to free its native memory.
 */
public final class DjlTrainedModel implements TrainedModel {
    private static final int PREDICT_ROWS = 8192;

    private final Network network;
    private final Provenance provenance;
    private final long hashSize;
    private final DjlOptions.IdPolicy idPolicy;
    private final TrainingStats stats;
    private final boolean owner;
    private volatile boolean closed;

    DjlTrainedModel(
            Network network,
            Provenance provenance,
            long hashSize,
            DjlOptions.IdPolicy idPolicy,
            TrainingStats stats,
            boolean owner) {
        this.network = network;
        this.provenance = provenance;
        this.hashSize = hashSize;
        this.idPolicy = idPolicy;
        this.stats = stats;
        this.owner = owner;
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    /** What training cost (zeros for a loaded model). */
    public TrainingStats trainingStats() {
        return stats;
    }

    /**
     * {@code rowsTrainedShare} and {@code batchWaitShare} of {@link #trainingStats()}, and with
     * {@code gradient-clip-norm} set {@code clippedStepShare} and {@code largestGradientNorm}.
     */
    @Override
    public java.util.Map<String, Double> trainingStatistics() {
        if (stats.rowsRead() == 0) {
            return java.util.Map.of();
        }
        var out = new java.util.LinkedHashMap<String, Double>();
        out.put("rowsTrainedShare", (double) stats.rowsTrained() / stats.rowsRead());
        out.put("batchWaitShare", stats.waitShare());
        if (stats.clipped()) {
            out.put("clippedStepShare", stats.clippedShare());
            out.put("largestGradientNorm", stats.largestGradientNorm());
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The names of the towers, in build order. */
    public java.util.List<String> towers() {
        return java.util.List.copyOf(network.towers.keySet());
    }

    /** Embedding rows written during training, per embedding group. */
    public java.util.Map<String, Long> touchedRows() {
        var out = new java.util.LinkedHashMap<String, Long>();
        network.tables.forEach((g, t) -> out.put(g, t.touchedRows()));
        return out;
    }

    Network network() {
        return network;
    }

    @Override
    public Predictions predict(ExposureBatch batch) {
        checkOpen();
        var dense = DenseInput.difference(network.schema, batch.schema());
        if (dense.isPresent()) {
            throw new CvrException(
                    "The data to score "
                            + dense.get()
                            + (provenance == null
                                    ? ""
                                    : " (model of estimator " + provenance.estimator() + ")"));
        }
        if (!batch.schema().describe().equals(network.schema.describe())) {
            throw new CvrException(
                    "The batch's schema '"
                            + batch.schema().describe()
                            + "' differs from the model's '"
                            + network.schema.describe()
                            + "' (estimator "
                            + provenance.estimator()
                            + ")");
        }
        int n = batch.size();
        float[] ctr = new float[n];
        float[] cvr = new float[n];
        int chunk = Math.min(PREDICT_ROWS, Math.max(1, n));
        var window = new RowWindow(network.layout, chunk, false);
        var host =
                new HostBatch(
                        network.layout.singleFields().length, network.layout.multiFields().length);
        int[] picks = new int[chunk];
        for (int i = 0; i < chunk; i++) {
            picks[i] = i;
        }
        float[] scratch = new float[0];
        DenseTower ctrTower = network.towers.get(TowerNames.CTR);
        DenseTower cvrTower = network.towers.get(TowerNames.CVR);
        for (int from = 0; from < n; from += chunk) {
            int c = Math.min(chunk, n - from);
            window.clear();
            window.append(batch, from, c, from, "prediction batch");
            window.fill(host, picks, c);
            int need = network.scratchSize(host);
            if (scratch.length < need) {
                scratch = new float[need];
            }
            try (NDScope scope = new NDScope();
                    NDManager step = network.manager.newSubManager()) {
                scope.suppressNotUsedWarning();
                var groups = new java.util.HashMap<String, NDArray>();
                float[] s = scratch;
                java.util.function.Function<String, NDArray> input =
                        g ->
                                groups.computeIfAbsent(
                                        g, k -> network.features(host, k, false, step, s).input());
                NDArray pcvr =
                        ai.djl.nn.Activation.sigmoid(
                                cvrTower.forward(input.apply(cvrTower.group), false));
                System.arraycopy(pcvr.toFloatArray(), 0, cvr, from, c);
                if (ctrTower != null) {
                    NDArray pctr =
                            ai.djl.nn.Activation.sigmoid(
                                    ctrTower.forward(input.apply(ctrTower.group), false));
                    System.arraycopy(pctr.toFloatArray(), 0, ctr, from, c);
                } else {
                    Arrays.fill(ctr, from, from + c, Float.NaN);
                }
            }
        }
        return new Predictions(ctr, cvr);
    }

    /**
     * Scores every row of {@code source} into {@code output}, atomically; CSV ({@code
     * row,ctr,cvr,ctcvr}) when the name ends in {@code .csv}, else the binary format of cvr-api's
     * {@link PredictionFiles}. Returns the number of rows written.
     */
    public long score(ExposureSource source, Path output) {
        return PredictionFiles.score(this, source, output);
    }

    @Override
    public void save(Path directory) {
        checkOpen();
        ModelFiles.write(directory, network, provenance, hashSize, idPolicy, null);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The model is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (owner) {
                network.close();
            }
        }
    }
}
