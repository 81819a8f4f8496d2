package org.causalcvr.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.causalcvr.data.arrow.Allocators;
import org.causalcvr.data.arrow.synth.Presets;
import org.causalcvr.data.arrow.synth.SyntheticWorld;
import org.causalcvr.data.arrow.synth.WorldConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cvr generate}: a synthetic MNAR world with the truth stored for every exposure. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Generate a synthetic exposure log whose clicks and conversions share a confounder, with true_propensity and true_cvr on every row.")
final class GenerateCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--preset",
            defaultValue = "ali-ccp-like",
            description = "World preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = PresetNames.class)
    String preset;

    @Option(
            names = "--rows",
            required = true,
            paramLabel = "N",
            description = "Number of exposures.")
    long rows;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the world and its rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "FILE",
            description = "Arrow IPC file to write (atomically).")
    Path out;

    @Option(
            names = "--confounding",
            paramLabel = "GAMMA",
            description = "Confounding strength γ (default: the preset's).")
    Double confounding;

    @Option(
            names = "--ctr",
            paramLabel = "RATE",
            description = "Mean click-through rate (default: the preset's).")
    Double ctr;

    @Option(
            names = "--cvr",
            paramLabel = "RATE",
            description = "Mean post-click conversion rate (default: the preset's).")
    Double cvr;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    /** The preset names for help texts. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }

    @Override
    public Integer call() {
        if (rows < 1) {
            throw new IllegalArgumentException(
                    "Option --rows = " + rows + " is out of range: allowed [1, +inf)");
        }
        WorldConfig config = world(preset, seed, confounding, ctr, cvr);
        var out = spec.commandLine().getOut();
        if (!json) {
            spec.commandLine()
                    .getErr()
                    .printf(Locale.ROOT, "Generating %,d rows of %s ...%n", rows, preset);
        }
        try (Allocators memory = Allocators.create()) {
            SyntheticWorld world = SyntheticWorld.build(config);
            var result = world.write(this.out, rows, memory);
            var summary = new LinkedHashMap<String, Object>();
            summary.put("file", result.path().toString());
            summary.put("preset", preset);
            summary.put("seed", seed);
            summary.put("rows", result.rows());
            summary.put("clicks", result.clicks());
            summary.put("conversions", result.conversions());
            summary.put("ctr", result.clicks() / (double) result.rows());
            summary.put(
                    "cvr",
                    result.clicks() == 0
                            ? Double.NaN
                            : result.conversions() / (double) result.clicks());
            summary.put("confounding", config.confounding());
            summary.put("bytes", result.bytes());
            summary.put("seconds", result.seconds());
            summary.put("rowsPerSecond", result.rowsPerSecond());
            if (json) {
                out.println(Json.write(summary));
            } else {
                out.printf(
                        Locale.ROOT,
                        "%s: %,d rows, %,d clicks (CTR %.2f%%), %,d conversions (CVR %.2f%%), confounding %.2f, %,.0f rows/s%n",
                        result.path(),
                        result.rows(),
                        result.clicks(),
                        100.0 * result.clicks() / result.rows(),
                        result.conversions(),
                        result.clicks() == 0 ? 0 : 100.0 * result.conversions() / result.clicks(),
                        config.confounding(),
                        result.rowsPerSecond());
            }
        }
        return 0;
    }

    static WorldConfig world(String preset, long seed, Double confounding, Double ctr, Double cvr) {
        WorldConfig config = Presets.get(preset).withSeed(seed);
        if (confounding != null) {
            config = config.withConfounding(confounding);
        }
        if (ctr != null || cvr != null) {
            config =
                    config.withRates(
                            ctr != null ? ctr : config.clickRate(),
                            cvr != null ? cvr : config.conversionRate());
        }
        return config;
    }
}
