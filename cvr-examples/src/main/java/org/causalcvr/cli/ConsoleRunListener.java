package org.causalcvr.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.experiments.run.RunListener;

/**
 * Shows an experiment's runs on the console: a progress bar per run, or, without bars, one line per
 * run when its training ends.
 */
final class ConsoleRunListener implements RunListener {
    private final boolean progress;
    private final PrintWriter log;

    ConsoleRunListener(boolean progress, PrintWriter log) {
        this.progress = progress;
        this.log = log;
    }

    @Override
    public TrainingListener started(String task) {
        return progress ? new ProgressListener(task, true) : TrainingListener.NONE;
    }

    @Override
    public void finished(String task, double seconds) {
        if (!progress) {
            log.printf(Locale.ROOT, "%s: trained in %.1f s%n", task, seconds);
            log.flush();
        }
    }
}
