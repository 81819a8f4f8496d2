package org.causalcvr.experiments.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.experiments.run.RunListener;

/**
 * Passes every event on to the listener it wraps and keeps, run by run in the order they start, the
 * validation score after each epoch of the last training stage: the curve from which early stopping
 * kept its epoch, so the study can report which epoch each estimator's runs ended with.
 *
 * <p>Not thread-safe: runs start one at a time on the thread that runs the experiment, as {@link
 * RunListener} promises.
 */
final class ValidationCurves implements RunListener {
    private final RunListener inner;
    private final List<List<Double>> curves = new ArrayList<>();

    ValidationCurves(RunListener inner) {
        this.inner = Objects.requireNonNull(inner);
    }

    /** Forgets every curve (a new world starts). */
    void clear() {
        curves.clear();
    }

    /** The curves, one per started run in start order: the scores of the last stage's epochs. */
    List<List<Double>> curves() {
        return curves.stream().map(List::copyOf).toList();
    }

    /**
     * The epoch (1 first) whose score is best in {@code curve}, the first of equals, as early
     * stopping keeps it; 0 when no epoch has a score.
     */
    static int bestEpoch(List<Double> curve, boolean higherIsBetter) {
        int best = 0;
        double bestScore = Double.NaN;
        for (int e = 0; e < curve.size(); e++) {
            double s = curve.get(e);
            if (Double.isNaN(s)) {
                continue;
            }
            if (best == 0 || (higherIsBetter ? s > bestScore : s < bestScore)) {
                best = e + 1;
                bestScore = s;
            }
        }
        return best;
    }

    @Override
    public TrainingListener started(String task) {
        var curve = new ArrayList<Double>();
        curves.add(curve);
        return new Recording(inner.started(task), curve);
    }

    @Override
    public void finished(String task, double seconds) {
        inner.finished(task, seconds);
    }

    /** Records one run's epochs and forwards everything, closing the inner listener too. */
    private static final class Recording implements TrainingListener, AutoCloseable {
        private final TrainingListener inner;
        private final List<Double> curve;
        private String stage;

        Recording(TrainingListener inner, List<Double> curve) {
            this.inner = inner;
            this.curve = curve;
        }

        @Override
        public void onProgress(TrainingProgress progress) {
            inner.onProgress(progress);
        }

        @Override
        public void onEpochEnd(String stage, int epoch, double validationScore) {
            if (!stage.equals(this.stage)) {
                // Only the last stage is validated and stopped early: an earlier stage's epochs
                // do not count.
                this.stage = stage;
                curve.clear();
            }
            curve.add(validationScore);
            inner.onEpochEnd(stage, epoch, validationScore);
        }

        @Override
        public void onNote(String line) {
            inner.onNote(line);
        }

        @Override
        public void close() throws Exception {
            if (inner instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
