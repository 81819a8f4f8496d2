package org.causalcvr.bench.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.causalcvr.api.backend.Backend;
import org.causalcvr.api.backend.TrainedModel;
import org.causalcvr.api.backend.TrainingListener;
import org.causalcvr.api.backend.TrainingProgress;
import org.causalcvr.api.backend.TrainingRequest;
import org.causalcvr.api.estimator.Estimator;
import org.causalcvr.api.plugin.CvrRuntime;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.data.arrow.synth.WorldConfig;

/**
 * Training throughput of an estimator on any backend, through the SPI only: {@code warmup + steps +
 * 2} batches of a synthetic world are trained for one epoch with a progress report every step, and
 * the steps after the warm-up are timed from the reports' clock.
 *
 * @param backend the registered backend name
 * @param settings the backend's settings besides batch size, epochs and progress cadence
 * @param batch rows per step
 * @param warmup untimed steps first
 * @param steps timed steps
 */
public record TrainingBench(
        String backend, Map<String, String> settings, int batch, int warmup, int steps) {
    public TrainingBench {
        if (batch < 1 || steps < 1 || warmup < 1) {
            throw new IllegalArgumentException(
                    "Options --batch, --steps and --warmup must be at least 1");
        }
        settings = Map.copyOf(settings);
    }

    /**
     * Trains {@code estimator} on {@code world} and returns the measurements, in a stable order:
     * {@code tableRows, timedSteps, samplesPerSecond, msPerStep}, the backend's own training
     * statistics (see {@link TrainedModel#trainingStatistics()}), {@code device} and {@code
     * peakRssMiB}.
     */
    public Map<String, Object> run(CvrRuntime runtime, Estimator estimator, WorldConfig world) {
        SyntheticWorld generator = SyntheticWorld.build(world);
        long rows = (long) (warmup + steps + 2) * batch;
        var source = generator.source(rows, Math.max(batch, 8192));
        var all = new LinkedHashMap<String, String>();
        all.put("batch-size", Integer.toString(batch));
        all.put("epochs", "1");
        all.put("progress-every", "1");
        all.putAll(settings);
        var times = new ArrayList<long[]>();
        TrainingListener listener =
                new TrainingListener() {
                    @Override
                    public void onProgress(TrainingProgress p) {
                        times.add(new long[] {System.nanoTime(), p.samples()});
                    }
                };
        var result = new LinkedHashMap<String, Object>();
        try (Backend engine = runtime.backend(backend).create(all);
                TrainedModel model =
                        engine.train(
                                new TrainingRequest(
                                        estimator,
                                        source,
                                        Optional.empty(),
                                        Optional.empty(),
                                        Optional.empty(),
                                        listener))) {
            if (times.size() <= warmup + 1) {
                throw new IllegalStateException(
                        "Too few steps were reported to time (" + times.size() + ")");
            }
            long[] start = times.get(warmup - 1);
            long[] end = times.get(times.size() - 1);
            int timed = times.size() - warmup;
            double seconds = (end[0] - start[0]) / 1e9;
            result.put("tableRows", source.schema().totalCardinality());
            result.put("timedSteps", timed);
            result.put("samplesPerSecond", (end[1] - start[1]) / seconds);
            result.put("msPerStep", 1000 * seconds / timed);
            result.putAll(model.trainingStatistics());
            result.put("device", engine.device());
            result.put("peakRssMiB", peakRssMiB());
        }
        return result;
    }

    /** The process's peak resident set (VmHWM), or -1 where /proc is not available. */
    public static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
