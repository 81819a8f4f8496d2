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
    private Map<String, Double> firstLosses;
    private Map<String, Double> lastLosses;

    ProgressListener(String task, boolean enabled) {
        this.task = task;
        this.enabled = enabled;
    }

    @Override
    public void onProgress(TrainingProgress p) {
        if (firstLosses == null) {
            firstLosses = new java.util.HashMap<>();
            lastLosses = new java.util.HashMap<>();
        }
        // Terms can appear later (the second stage of a two-stage schedule): first seen, last seen.
        p.losses().forEach(firstLosses::putIfAbsent);
        lastLosses.putAll(p.losses());
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
    public void onNote(String line) {
        System.err.println(line);
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

    /**
     * The first and the last reported value of each loss term ({@code first → last}), so a user
     * sees that training reduced the loss; empty if nothing was reported.
     */
    String lossSummary() {
        if (firstLosses == null) {
            return "";
        }
        var sb = new StringBuilder();
        for (var e : new java.util.TreeMap<>(lastLosses).entrySet()) {
            Double first = firstLosses.get(e.getKey());
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%s %.4f -> %.4f; ",
                            e.getKey(),
                            first == null ? Double.NaN : first,
                            e.getValue()));
        }
        return sb.length() == 0 ? "" : sb.substring(0, sb.length() - 2);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
