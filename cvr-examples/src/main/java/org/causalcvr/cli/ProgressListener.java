package org.causalcvr.cli;

import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;

/**
 * A console progress bar for training: samples done of the total, samples/s and the current loss
 * terms. One bar per run; {@link #close()} ends it.
 */
final class ProgressListener implements TrainingListener, AutoCloseable {
    private final String task;
    private final boolean enabled;
    private ProgressBar bar;
    private double lastValidation = Double.NaN;

    ProgressListener(String task, boolean enabled) {
        this.task = task;
        this.enabled = enabled;
    }

    @Override
    public void onProgress(TrainingProgress p) {
        if (!enabled) {
            return;
        }
        if (bar == null) {
            bar =
                    new ProgressBarBuilder()
                            .setTaskName(task)
                            .setInitialMax(Math.max(1, p.totalSamples()))
                            .setStyle(ProgressBarStyle.ASCII)
                            .setUpdateIntervalMillis(500)
                            .setMaxRenderedLength(140)
                            .continuousUpdate()
                            .build();
        }
        if (p.totalSamples() > 0) {
            bar.maxHint(p.totalSamples());
        }
        bar.stepTo(Math.min(p.samples(), Math.max(p.totalSamples(), p.samples())));
        bar.setExtraMessage(message(p));
    }

    @Override
    public void onEpochEnd(String stage, int epoch, double validationScore) {
        lastValidation = validationScore;
    }

    private String message(TrainingProgress p) {
        var sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        " %s e%d %,.0f/s",
                        p.stage(),
                        p.epoch() + 1,
                        p.samplesPerSecond()));
        for (Map.Entry<String, Double> loss : p.losses().entrySet()) {
            sb.append(String.format(Locale.ROOT, " %s=%.4f", loss.getKey(), loss.getValue()));
        }
        if (!Double.isNaN(lastValidation)) {
            sb.append(String.format(Locale.ROOT, " val=%.4f", lastValidation));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
